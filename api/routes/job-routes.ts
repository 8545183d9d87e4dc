import type { RouteSpec } from '../route-spec.js';
import { stringifyJobConfig } from '../connector-config-body.js';
import { badRequest, serverError } from './responses.js';

const jobNotFound = { description: 'No job with this id', schema: 'ErrorMessage' } as const;
const jobsDisabled = {
  description: 'Jobs are disabled: the worker has no redis.url',
  schema: 'ErrorMessage',
} as const;
const jobConflict = {
  description: 'The job, or what it works on, is in a state that forbids this (e.g. a sink still running)',
  schema: 'ErrorMessage',
} as const;

/** Bounded jobs (backfill, rewind, ...) on the queue shared through Redis; docs/jobs.md. */
export const jobRoutes: readonly RouteSpec[] = [
  {
    method: 'POST',
    path: '/jobs',
    summary: 'Start a job: its config is checked and planned, then it is queued',
    body: 'JobRequest',
    responses: {
      202: { description: 'The job is queued', schema: 'Job' },
      400: badRequest,
      409: jobConflict,
      500: serverError,
      503: jobsDisabled,
    },
    handle: async (_herder, request, { jobs }) => {
      const body = request.body as {
        type: string;
        config: Record<string, string | number | boolean | readonly string[]>;
      };
      return { status: 202, body: await jobs.submit(body.type, stringifyJobConfig(body.config)) };
    },
  },
  {
    method: 'GET',
    path: '/jobs',
    summary: 'List jobs with their state and progress, oldest first',
    responses: {
      200: { description: 'Every job kept', schema: 'Jobs' },
      500: serverError,
      503: jobsDisabled,
    },
    handle: async (_herder, _request, { jobs }) => ({ status: 200, body: await jobs.list() }),
  },
  {
    method: 'GET',
    path: '/jobs/{id}',
    summary: 'Get the state, progress, times, error and result of a job',
    responses: {
      200: { description: 'The job', schema: 'Job' },
      404: jobNotFound,
      500: serverError,
      503: jobsDisabled,
    },
    handle: async (_herder, request, { jobs }) => ({
      status: 200,
      body: await jobs.get(request.params['id'] ?? ''),
    }),
  },
  {
    method: 'DELETE',
    path: '/jobs/{id}',
    summary: 'Cancel a job: running units stop at their next checkpoint',
    responses: {
      202: { description: 'Cancelled (units may still be finishing their chunk)', schema: 'Job' },
      404: jobNotFound,
      500: serverError,
      503: jobsDisabled,
    },
    handle: async (_herder, request, { jobs }) => ({
      status: 202,
      body: await jobs.cancel(request.params['id'] ?? ''),
    }),
  },
  {
    method: 'POST',
    path: '/jobs/{id}/retry',
    summary: 'Run a failed or cancelled job again from its checkpoints',
    responses: {
      202: { description: 'The job is queued again', schema: 'Job' },
      404: jobNotFound,
      409: jobConflict,
      500: serverError,
      503: jobsDisabled,
    },
    handle: async (_herder, request, { jobs }) => ({
      status: 202,
      body: await jobs.retry(request.params['id'] ?? ''),
    }),
  },
];
