import { connectorPath, restCall, restGet, RestError } from './rest-client.js';
import type { ConfigValidation, PluginInfo } from './rest-types.js';

/**
 * The create/edit form's state: the values typed so far and the worker's verdict on them. Every change is
 * validated by the worker (`PUT /connector-plugins/{plugin}/config/validate`), so the form applies exactly
 * the rules the worker will, including each plugin's own.
 */
export class ConnectorFormState {
  plugins: readonly PluginInfo[] = [];
  plugin = '';
  name = '';
  values: Record<string, string> = {};
  validation: ConfigValidation | undefined;
  /** A failure of the last validate or submit call itself (not a config error). */
  problem: string | undefined;
  submitting = false;
  /** Whether "All settings" is open: kept across renders so a field does not vanish while typed in. */
  showAll = false;
  /** Keys that had a value when an edited connector was loaded: shown without opening "All settings". */
  loadedKeys: ReadonlySet<string> = new Set();
  private validateTimer: ReturnType<typeof setTimeout> | undefined;
  private validationRound = 0;

  /** `editing` names the connector being edited; undefined creates a new one. */
  constructor(
    readonly editing: string | undefined,
    private readonly changed: () => void,
  ) {}

  async load(): Promise<void> {
    try {
      if (this.editing === undefined) {
        this.plugins = await restGet<PluginInfo[]>('/connector-plugins');
      } else {
        const config = await restGet<Record<string, string>>(`${connectorPath(this.editing)}/config`);
        this.name = this.editing;
        this.plugin = config['connector.class'] ?? '';
        // The name has its own field; the values are everything else.
        this.values = Object.fromEntries(Object.entries(config).filter(([key]) => key !== 'name'));
        this.loadedKeys = new Set(Object.keys(this.values));
        await this.validate();
      }
    } catch (error) {
      this.problem = messageOf(error);
    }
    this.changed();
  }

  choosePlugin(plugin: string): void {
    this.plugin = plugin;
    this.values = plugin === '' ? {} : { 'connector.class': plugin };
    this.validation = undefined;
    this.changed();
    void this.validate();
  }

  set(key: string, value: string): void {
    if (key === 'name') this.name = value;
    else if (value === '') delete this.values[key];
    else this.values[key] = value;
    // As the user types: wait for a pause so a burst of keys is one request.
    clearTimeout(this.validateTimer);
    this.validateTimer = setTimeout(() => void this.validate(), 300);
  }

  config(): Record<string, string> {
    return { ...this.values, 'connector.class': this.plugin, name: this.name };
  }

  async validate(): Promise<ConfigValidation | undefined> {
    if (this.plugin === '') return undefined;
    const round = ++this.validationRound;
    try {
      const validation = await restCall<ConfigValidation>(
        'PUT',
        `/connector-plugins/${encodeURIComponent(this.plugin)}/config/validate`,
        this.config(),
      );
      // An older answer arriving after a newer one must not overwrite it.
      if (round === this.validationRound) {
        this.validation = validation;
        this.problem = undefined;
        this.changed();
      }
      return validation;
    } catch (error) {
      this.problem = messageOf(error);
      this.changed();
      return undefined;
    }
  }

  /** Validates, then creates or updates the connector; true when the worker accepted it. */
  async submit(): Promise<boolean> {
    clearTimeout(this.validateTimer);
    this.submitting = true;
    this.changed();
    try {
      const validation = await this.validate();
      if (validation === undefined || validation.error_count > 0) return false;
      await restCall('PUT', `${connectorPath(this.name)}/config`, this.config());
      return true;
    } catch (error) {
      this.problem = messageOf(error);
      return false;
    } finally {
      this.submitting = false;
      this.changed();
    }
  }
}

function messageOf(error: unknown): string {
  if (error instanceof RestError)
    return `${error.code === undefined ? error.status : error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
