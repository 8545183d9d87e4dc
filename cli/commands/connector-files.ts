import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { readConnectorFile, type ConnectorFile } from '../../runtime/config/properties-file.js';

const CONNECTOR_EXTENSIONS = new Set(['.json', '.properties']);

export interface NamedConnectorFile extends ConnectorFile {
  readonly path: string;
}

/**
 * The connectors `apply -f` should make true: one file (`.json` as for POST /connectors, or
 * `.properties`), or every such file of a directory in name order, so a folder in git is the desired state.
 */
export async function readConnectorFiles(path: string): Promise<NamedConnectorFile[]> {
  const paths = (await stat(path)).isDirectory()
    ? (await readdir(path))
        .filter((f) => CONNECTOR_EXTENSIONS.has(extname(f).toLowerCase()))
        .sort()
        .map((f) => join(path, f))
    : [path];
  const files: NamedConnectorFile[] = [];
  for (const p of paths) files.push({ ...(await readConnectorFile(p)), path: p });
  return files;
}
