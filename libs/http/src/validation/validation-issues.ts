import type { ValidationError } from 'class-validator';
import type { ValidationIssue } from '../errors/request-validation-error';
import type { IssueTemplate } from './input-rules';

/**
 * FastAPI's issues for class-validator's errors: one per failing field, the rule of the earliest stage
 * speaking, `input` taken from what the client sent (a query value stays the string it was).
 */
export function validationIssues(
  errors: readonly ValidationError[],
  location: string,
  received: unknown,
): ValidationIssue[] {
  return errors.flatMap((error) => issuesOf(error, [location], received));
}

/** The issues of one top-level property's error, under `loc` (e.g. `["query"]`). */
export function propertyIssues(
  error: ValidationError,
  location: string,
  received: unknown,
): ValidationIssue[] {
  return issuesOf(error, [location], received);
}

function issuesOf(
  error: ValidationError,
  parentLoc: (string | number)[],
  parentReceived: unknown,
): ValidationIssue[] {
  const loc = [...parentLoc, arrayIndexOrKey(error.property)];
  const received = childOf(parentReceived, error.property);
  const own = error.constraints ? [issueFor(error, loc, received)] : [];
  const nested = (error.children ?? []).flatMap((child) => issuesOf(child, loc, received));
  return [...own, ...nested];
}

function issueFor(error: ValidationError, loc: (string | number)[], received: unknown): ValidationIssue {
  const input = received === undefined ? null : received;
  const template = firstTemplate(error);
  if (template === undefined) {
    // A rule written without an issue template (e.g. a domain DTO's): report its message as a value error.
    const message = Object.values(error.constraints ?? {})[0] ?? 'Invalid value';
    return { type: 'value_error', loc, msg: `Value error, ${message}`, input };
  }
  const scalar = input === null || typeof input !== 'object';
  const { type, msg } = !scalar && template.notScalar ? template.notScalar : template;
  return template.ctx ? { type, loc, msg, input, ctx: template.ctx } : { type, loc, msg, input };
}

function firstTemplate(error: ValidationError): IssueTemplate | undefined {
  const failed = Object.keys(error.constraints ?? {});
  const templates = failed
    .map((name) => error.contexts?.[name] as IssueTemplate | undefined)
    .filter((template): template is IssueTemplate => template !== undefined);
  return templates.sort((a, b) => a.stage - b.stage)[0];
}

function arrayIndexOrKey(property: string): string | number {
  return /^\d+$/.test(property) ? Number(property) : property;
}

function childOf(parent: unknown, property: string): unknown {
  if (parent === null || typeof parent !== 'object') return undefined;
  return Object.prototype.hasOwnProperty.call(parent, property)
    ? (parent as Record<string, unknown>)[property]
    : undefined;
}
