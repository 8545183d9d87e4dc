import type { ResponseSpec } from '../route-spec.js';

/** Error responses shared by many endpoints; all carry Connect's ErrorMessage body. */
export const badRequest: ResponseSpec = {
  description: 'Invalid request body or parameters',
  schema: 'ErrorMessage',
};
export const connectorNotFound: ResponseSpec = { description: 'Connector not found', schema: 'ErrorMessage' };
export const conflict: ResponseSpec = {
  description: 'Conflicting operation, e.g. a rebalance in progress',
  schema: 'ErrorMessage',
};
export const serverError: ResponseSpec = {
  description: 'Request timed out or failed unexpectedly',
  schema: 'ErrorMessage',
};

/** Errors any connector-scoped endpoint may answer with. */
export const connectorErrors = { 404: connectorNotFound, 409: conflict, 500: serverError } as const;
