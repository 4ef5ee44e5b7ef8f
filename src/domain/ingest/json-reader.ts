/**
 * Streams the items of a JSON array file or an NDJSON file. JSON.parse does the parsing; for
 * arrays, a small scanner only finds where each top-level element starts and ends (tracking
 * strings, escapes and nesting) so that a 2 GB array never has to be held in memory at once.
 */
import { jsonSyntaxProblem } from '../json-syntax.ts';
import type { TextReader } from './text-source.ts';

export interface JsonHandlers {
  item(value: unknown, line: number): void;
  malformed(line: number, reason: string, rawText: string, stop: boolean): void;
  chunk?(): void;
}

/** A file-level problem: nothing in the file can be trusted (e.g. not a JSON array at all). */
export class JsonFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonFileError';
  }
}

const MAX_ITEM_CHARS = 16 * 1024 * 1024;

/**
 * No record needs more than a few levels; a value nested deeper cannot be shown or stored safely
 * (JSON.stringify and friends recurse, and 200,000 levels overflow the stack), so it is refused.
 */
export const MAX_JSON_DEPTH = 64;

/** The deepest nesting of arrays and objects in a JSON text, counted outside strings; stops once past `limit`. */
export function jsonDepth(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > deepest && (deepest = depth) > limit) return deepest;
    } else if (c === 93 /* ] */ || c === 125 /* } */) depth--;
  }
  return deepest;
}

function parseItem(text: string, line: number, handlers: JsonHandlers): void {
  if (jsonDepth(text) > MAX_JSON_DEPTH) {
    handlers.malformed(
      line,
      `is nested more than ${MAX_JSON_DEPTH} levels deep, far deeper than any record, so it was set aside`,
      text.length > 4096 ? `${text.slice(0, 4096)}…` : text,
      false,
    );
    return;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    handlers.malformed(line, `is not valid JSON (${jsonSyntaxProblem(error)})`, text, false);
    return;
  }
  handlers.item(value, line);
}

export function readNdjson(reader: TextReader, handlers: JsonHandlers): void {
  let pending = '';
  let line = 1;
  for (;;) {
    const chunk = reader.next();
    const eof = chunk === null;
    if (!eof) pending += chunk;
    let start = 0;
    for (let end = pending.indexOf('\n'); end !== -1; end = pending.indexOf('\n', start)) {
      const text = pending.slice(start, end).trim();
      if (text !== '') parseItem(text, line, handlers);
      line++;
      start = end + 1;
    }
    pending = pending.slice(start);
    if (eof) {
      const text = pending.trim();
      if (text !== '') parseItem(text, line, handlers);
      handlers.chunk?.();
      return;
    }
    if (pending.length > MAX_ITEM_CHARS) {
      handlers.malformed(
        line,
        'is longer than 16 MB without a line break; the rest of the file could not be read',
        pending.slice(0, 4096),
        true,
      );
      return;
    }
    handlers.chunk?.();
  }
}

const STATE = { BEFORE_ARRAY: 0, BEFORE_ITEM: 1, IN_ITEM: 2, DONE: 3 } as const;

/** Items of a top-level JSON array, each with the line it starts on. */
export function readJsonArray(reader: TextReader, handlers: JsonHandlers): void {
  let state: number = STATE.BEFORE_ARRAY;
  let line = 1;
  let item = '';
  let itemLine = 1;
  let depth = 0;
  let inString = false;
  let escaped = false;

  for (;;) {
    const chunk = reader.next();
    if (chunk === null) break;
    let itemStart = state === STATE.IN_ITEM ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c === 10) line++;
      if (state === STATE.IN_ITEM) {
        if (inString) {
          if (escaped) escaped = false;
          else if (c === 92 /* \ */) escaped = true;
          else if (c === 34 /* " */) inString = false;
          continue;
        }
        if (c === 34) inString = true;
        else if (c === 123 /* { */ || c === 91 /* [ */) depth++;
        else if (c === 125 /* } */ || c === 93 /* ] */) {
          if (depth > 0) depth--;
          else {
            // The array's closing bracket ends the last item.
            parseItem((item + chunk.slice(itemStart, i)).trim(), itemLine, handlers);
            item = '';
            state = STATE.DONE;
          }
        } else if (c === 44 /* , */ && depth === 0) {
          parseItem((item + chunk.slice(itemStart, i)).trim(), itemLine, handlers);
          item = '';
          state = STATE.BEFORE_ITEM;
        }
        continue;
      }
      if (c === 32 || c === 9 || c === 10 || c === 13) continue;
      if (state === STATE.BEFORE_ARRAY) {
        if (c !== 91)
          throw new JsonFileError(
            `is not a JSON array (it starts with ${JSON.stringify(chunk[i])}; expected "[" or one JSON object per line)`,
          );
        state = STATE.BEFORE_ITEM;
      } else if (state === STATE.BEFORE_ITEM) {
        if (c === 93) {
          state = STATE.DONE;
          continue;
        }
        state = STATE.IN_ITEM;
        itemStart = i;
        itemLine = line;
        depth = 0;
        inString = false;
        escaped = false;
        // Re-read this character as the item's first.
        i--;
      } else if (state === STATE.DONE) {
        throw new JsonFileError(`has text after the end of the JSON array (line ${line})`);
      }
    }
    if (state === STATE.IN_ITEM) {
      item += chunk.slice(itemStart);
      if (item.length > MAX_ITEM_CHARS) {
        handlers.malformed(
          itemLine,
          'is an item longer than 16 MB, so the JSON is probably broken; the rest of the file could not be read',
          item.slice(0, 4096),
          true,
        );
        return;
      }
    }
    handlers.chunk?.();
  }
  if (state === STATE.BEFORE_ARRAY) throw new JsonFileError('is empty');
  if (state !== STATE.DONE) {
    if (state === STATE.IN_ITEM && item.trim() !== '') {
      handlers.malformed(
        itemLine,
        'is cut off: the JSON array ends before this item is complete',
        item.slice(0, 4096),
        true,
      );
    } else {
      handlers.malformed(line, 'is cut off: the JSON array is never closed with "]"', '', true);
    }
  }
}
