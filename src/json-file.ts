import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { StartupError } from './errors.js';

/**
 * A JSON file that is not what it should be: unreadable, not JSON, or not the schema's shape.
 * The message names the file and, for a shape error, the first issue's path
 * (`data/followup.json: versions.2.10: expected array, received object`), so an operator knows
 * which file and which field to look at. A StartupError: the stores and catalogs read at start-up
 * stop it with this one line.
 */
export class JsonFileError extends StartupError {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(path, message);
  }
}

/**
 * Reads `path` and validates it with `schema`. A missing file (ENOENT) is an error unless
 * `missing` says what it stands for (an empty store, every entry a draft); any other read
 * error, invalid JSON or a shape the schema refuses throws a JsonFileError.
 */
export function readJsonFile<S extends z.ZodType>(
  path: string,
  schema: S,
  options: { missing?: () => z.output<S> } = {},
): z.output<S> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (code === 'ENOENT' && options.missing) return options.missing();
    throw new JsonFileError(path, `cannot read ${path}: ${message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new JsonFileError(path, `${path}: not valid JSON: ${(error as Error).message}`);
  }
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const [issue] = result.error.issues;
  const more = result.error.issues.length - 1;
  throw new JsonFileError(
    path,
    `${path}: ${issue!.path.join('.') || '(the whole file)'}: ${issue!.message}` +
      (more > 0 ? ` (and ${more} more)` : ''),
  );
}

/**
 * An entry of a file this service writes itself (a store's records): checked to be an object,
 * its fields trusted as the writer's type. Where a field is read for a decision, the store's
 * schema names it.
 */
export const storedObject = <T extends object>() =>
  z.custom<T>((value) => typeof value === 'object' && value !== null && !Array.isArray(value), {
    message: 'expected an object',
  });
