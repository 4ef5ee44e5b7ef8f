/** The work behind `foresight hub …` (hub.ts declares the commands). */
import { existsSync, readFileSync } from 'node:fs';
import { isIsoDay, todayIso } from '../../domain/contract/dates.ts';
import { addUserWithToken, changeCovers, removeUser, type HubUser } from '../../hub/auth/users.ts';
import { loadFilesIntoHub } from '../../hub/load/load-files.ts';
import { hubReport, type HubReport, type ReportRow } from '../../hub/report/report.ts';
import { hubFiles } from '../../hub/server/hub-files.ts';
import { startHub } from '../../hub/server/start.ts';
import { openHubStore } from '../../hub/store/open.ts';
import type { HubStore } from '../../hub/store/store.ts';
import { UserFacingError } from '../../domain/errors.ts';
import { emit, UsageError, writeOut } from '../io.ts';
import { checkLinks, linkTables, LINK_KINDS, unlinkTables } from '../../hub/link/link.ts';
import type { RecordKind } from '../../shared/dto/core.ts';
import type { HubLinkOptions, HubStoreOptions } from './hub.ts';

/** A running embedded hub's URL, when DIR/hub.json names a live process. */
function runningHub(dir: string): { url: string; pid: number } | null {
  const { info } = hubFiles(dir);
  if (!existsSync(info)) return null;
  let parsed: { url: string | null; pid: number };
  try {
    parsed = JSON.parse(readFileSync(info, 'utf8')) as { url: string | null; pid: number };
    process.kill(parsed.pid, 0);
  } catch {
    return null;
  }
  if (parsed.url === null)
    throw new UserFacingError(
      'HUB_RUNNING',
      `The hub in ${dir} is still starting (process ${parsed.pid}); try again once it prints its address.`,
    );
  return { url: parsed.url, pid: parsed.pid };
}

function storeChoice(options: HubStoreOptions) {
  const given = [options.pg, options.embedded, options.url].filter((v) => v !== undefined).length;
  if (given !== 1)
    throw new UsageError('Say where the hub is: exactly one of --pg URL, --embedded DIR or --url HUB_URL.');
  return { pgUrl: options.pg ?? null, embeddedDir: options.embedded ?? null };
}

/** Opens the store directly, refusing an embedded folder another process is serving. */
async function openDirect(options: HubStoreOptions, what: string): Promise<HubStore> {
  if (options.embedded) {
    const running = runningHub(options.embedded);
    if (running)
      throw new UserFacingError(
        'HUB_RUNNING',
        `The hub in ${options.embedded} is running (process ${running.pid}, ${running.url}); stop it before you ${what}, or use --url ${running.url} --token-env VAR.`,
      );
  }
  return openHubStore(storeChoice(options));
}

function tokenFrom(variable: string | undefined): string {
  if (!variable)
    throw new UsageError('With --url, give --token-env VAR: the environment variable holding your hub token.');
  const token = process.env[variable];
  if (!token) throw new UsageError(`The environment variable ${variable} is empty; put your hub token in it.`);
  return token;
}

async function callHub(url: string, path: string, init: RequestInit & { token?: string; secret?: string }) {
  const headers: Record<string, string> = { Accept: 'application/json', 'Content-Type': 'application/json' };
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  if (init.secret) headers['X-Hub-Admin-Secret'] = init.secret;
  let response: Response;
  try {
    response = await fetch(`${url.replace(/\/+$/, '')}${path}`, { ...init, headers, redirect: 'manual' });
  } catch (error) {
    throw new UserFacingError('HUB_UNREACHABLE', `Could not reach the hub at ${url}: ${(error as Error).message}.`);
  }
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok)
    throw new UserFacingError(
      'HUB_REFUSED',
      // The hub's sentence may end with its own full stop ("… is not an email address.").
      `The hub answered ${response.status}: ${String(body.error ?? response.statusText).replace(/[.\s]+$/, '')}.`,
    );
  return body;
}

export async function serve(
  options: HubStoreOptions & { port: number; host: string; demo?: boolean; demoAccounts?: number },
  json: boolean,
): Promise<void> {
  const choice = storeChoice(options);
  if (options.embedded && runningHub(options.embedded))
    throw new UserFacingError('HUB_RUNNING', `A hub is already serving ${options.embedded}.`);
  process.stderr.write(options.demo ? 'Starting the hub and loading the demo book…\n' : 'Starting the hub…\n');
  const hub = await startHub({
    ...choice,
    pgUrl: choice.pgUrl ?? undefined,
    embeddedDir: choice.embeddedDir ?? undefined,
    port: options.port,
    host: options.host,
    demo: options.demo ? { accounts: options.demoAccounts } : false,
  });
  const where = options.embedded ? `--embedded ${options.embedded}` : '--pg URL';
  emit(json, { url: hub.url, demo: hub.demo }, () =>
    [
      `The hub is listening on ${hub.url}${options.embedded ? ` (data in ${options.embedded})` : ''}.`,
      hub.demo
        ? `Demo book: ${hub.demo.accounts} accounts; their owners are csm users: ${hub.demo.owners.join(', ')}.`
        : null,
      `Give a user a token (in another terminal): foresight hub user add EMAIL --role csm ${where}`,
      `Each CSM then adds it to their app: foresight source add team --url ${hub.url} --token-env FORESIGHT_FEED_TOKEN_TEAM`,
      'Stop the hub with Ctrl-C.',
    ]
      .filter(Boolean)
      .join('\n'),
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await hub.close();
}

/**
 * `hub stop --embedded DIR`: asks the hub serving DIR to close (SIGTERM to the pid in DIR/hub.json)
 * and waits until it has, so a script need not track the process (`npx` does not pass a signal on).
 */
export async function stop(options: { embedded: string }, json: boolean) {
  const running = runningHub(options.embedded);
  if (!running) return emit(json, { stopped: false }, () => `No hub is serving ${options.embedded}.`);
  process.kill(running.pid, 'SIGTERM');
  // Until the process has exited: it closes the store (and so the folder) last.
  const alive = () => {
    try {
      process.kill(running.pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  for (let waited = 0; waited < 30_000 && alive(); waited += 200)
    await new Promise((resolve) => setTimeout(resolve, 200));
  if (alive())
    throw new UserFacingError(
      'HUB_RUNNING',
      `The hub in ${options.embedded} (process ${running.pid}) did not stop within 30 s.`,
    );
  emit(
    json,
    { stopped: true, pid: running.pid },
    () => `Stopped the hub serving ${options.embedded} (process ${running.pid}).`,
  );
}

/**
 * An admin request (add a user, change covers) to wherever the hub is: a running hub by its URL
 * and an admin token, a running embedded hub through its local door (PGlite allows one process per
 * folder), or the store itself.
 */
async function adminRequest<T>(
  options: HubStoreOptions,
  path: string,
  input: object,
  direct: (store: HubStore) => Promise<T>,
): Promise<T> {
  const running = options.embedded ? runningHub(options.embedded) : null;
  if (options.url) {
    storeChoice(options);
    const init = { method: 'POST', body: JSON.stringify(input), token: tokenFrom(options.tokenEnv) };
    return (await callHub(options.url, path, init)) as T;
  }
  if (options.embedded && running) {
    const secret = readFileSync(hubFiles(options.embedded).secret, 'utf8').trim();
    return (await callHub(running.url, path, { method: 'POST', body: JSON.stringify(input), secret })) as T;
  }
  const store = await openDirect(options, 'manage users');
  try {
    return await direct(store);
  } finally {
    await store.close();
  }
}

const emailList = (value: string | undefined) =>
  value === undefined
    ? null
    : value
        .split(',')
        .map((e) => e.trim())
        .filter((e) => e.length > 0);
const coversText = (covers: readonly string[] | undefined) => (covers?.length ? `, covering ${covers.join(', ')}` : '');

export async function userAdd(
  email: string,
  options: HubStoreOptions & { role: string; team: string; covers?: string; tokenOnly?: boolean },
  json: boolean,
) {
  const input = { email, role: options.role, team: options.team, covers: emailList(options.covers) };
  type Added = { email: string; role: string; team: string; covers?: string[]; token: string; revoked: number };
  const result = await adminRequest<Added>(options, '/v1/admin/users', input, async (store) => {
    const added = await addUserWithToken(store, input, 'cli');
    return {
      ...added.user,
      covers: added.user.covers ? [...added.user.covers] : undefined,
      token: added.token,
      revoked: added.revoked,
    };
  });
  if (options.tokenOnly && !json) return void process.stdout.write(`${result.token}\n`);
  const { token, ...user } = result;
  emit(json, { ...user, token }, () =>
    [
      `Added ${result.email} as ${result.role} in team ${result.team}${coversText(result.covers)}.`,
      result.revoked > 0
        ? `Their earlier ${result.revoked === 1 ? 'token no longer works' : `${result.revoked} tokens no longer work`}: give them the new one.`
        : null,
      `Token (shown only now; the hub keeps only its hash): ${token}`,
      `On their laptop: export FORESIGHT_FEED_TOKEN_TEAM=${token}`,
    ]
      .filter(Boolean)
      .join('\n'),
  );
}

export async function userRemove(email: string, options: HubStoreOptions, json: boolean) {
  const result = await adminRequest<{ email: string; revoked: number }>(
    options,
    '/v1/admin/users/remove',
    { email },
    (store) => removeUser(store, { email }, 'cli'),
  );
  emit(json, result, () =>
    [
      `Removed ${result.email}: ${result.revoked === 1 ? '1 token revoked' : `${result.revoked} tokens revoked`}, covers ended.`,
      'What they pushed stays on the hub; "hub user add" gives them a new token.',
    ].join(' '),
  );
}

export async function userCover(email: string, options: HubStoreOptions & { covers: string }, json: boolean) {
  const input = { email, covers: emailList(options.covers) ?? [] };
  const result = await adminRequest<HubUser>(options, '/v1/admin/covers', input, (store) =>
    changeCovers(store, input, 'cli'),
  );
  emit(json, result, () =>
    result.covers?.length
      ? `${result.email} now covers ${result.covers.join(', ')}; their next sync reads those books.`
      : `${result.email} covers nobody now; their app keeps what it already received.`,
  );
}

export async function load(files: string[], options: HubStoreOptions, json: boolean) {
  const store = await openDirect(options, 'load files');
  try {
    const result = await loadFilesIntoHub(store, files);
    emit(json, result, () =>
      [
        ...result.files.map(
          (f) =>
            `${f.file}: ${f.problem ?? `${f.kind ?? 'unknown kind'}, ${f.written} written, ${f.unchanged} unchanged, ${f.rejected} quarantined`}`,
        ),
        ...result.errors.slice(0, 20),
        result.errors.length > 20 ? `… and ${result.errors.length - 20} more in the hub's quarantine table.` : null,
      ]
        .filter(Boolean)
        .join('\n'),
    );
    if (result.rejected > 0 || result.files.some((f) => f.problem)) process.exitCode = 3;
  } finally {
    await store.close();
  }
}

const percent = (value: number | null) => (value === null ? '–' : `${(value * 100).toFixed(0)}%`);
function rowText(label: string, row: ReportRow): string {
  const uplift = row.uplift
    ? `uplift ${percent(row.uplift.value)} (95% CI ${percent(row.uplift.ci_low)} to ${percent(row.uplift.ci_high)})`
    : (row.note ?? 'no uplift');
  return `${label}: treated ${row.treated.succeeded}/${row.treated.n} succeeded, control ${row.control.succeeded}/${row.control.n}; ${uplift}`;
}

export async function report(options: HubStoreOptions & { asOf?: string }, json: boolean) {
  const asOf = options.asOf ?? todayIso();
  if (!isIsoDay(asOf)) throw new UsageError(`--as-of must be a date (YYYY-MM-DD), not "${asOf}".`);
  let result: HubReport;
  if (options.url) {
    storeChoice(options);
    result = (await callHub(options.url, `/v1/report?as_of=${asOf}`, {
      token: tokenFrom(options.tokenEnv),
    })) as unknown as HubReport;
  } else {
    const store = await openDirect(options, 'read the report from the store');
    try {
      const admin: HubUser = { email: 'local admin', role: 'admin', team: 'default' };
      result = await hubReport(store, { user: admin, asOf });
    } finally {
      await store.close();
    }
  }
  emit(json, result, () =>
    [
      `Outcomes as of ${result.as_of}: ${result.interventions} interventions logged.`,
      rowText('Team', result.team),
      ...result.csms.map((c) => rowText(`${c.email} (${c.interventions} logged)`, c)),
    ].join('\n'),
  );
}

export async function link(options: HubStoreOptions & HubLinkOptions, json: boolean) {
  const store = await openDirect(options, 'link tables');
  try {
    const relations = Object.fromEntries(LINK_KINDS.filter((k) => options[k]).map((k) => [k, options[k]!]));
    if (!options.check) {
      const links = await linkTables(store, { relations, map: options.map }, 'hub link');
      if (!json)
        writeOut(
          links
            .map(
              (l) =>
                `${l.kind}: read in place from ${l.relation} (${Object.entries(l.columns)
                  .map(([field, column]) => (field === column ? field : `${column} as ${field}`))
                  .join(', ')})`,
            )
            .join('\n') + '\n',
        );
    }
    const checks = await checkLinks(store);
    emit(
      json,
      checks,
      () =>
        checks
          .flatMap((c) => [
            `${c.relation}: ${c.rows} rows, ${c.refused} refused by the contract (not served)`,
            ...c.problems.map((p) => `  ${p}`),
          ])
          .join('\n') || 'No tables are linked; name them with --accounts, --contacts, --metrics or --events.',
    );
    if (checks.some((c) => c.refused > 0)) process.exitCode = 3;
  } finally {
    await store.close();
  }
}

export async function unlink(kinds: string[], options: HubStoreOptions, json: boolean) {
  const bad = kinds.find((k) => !(LINK_KINDS as readonly string[]).includes(k));
  if (bad !== undefined) throw new UsageError(`'${bad}' is not one of accounts, contacts, metrics or events.`);
  const store = await openDirect(options, 'unlink tables');
  try {
    const dropped = await unlinkTables(store, kinds as RecordKind[], 'hub unlink');
    emit(json, { unlinked: dropped }, () =>
      dropped.length
        ? `Unlinked ${dropped.join(', ')}; the feed serves the loaded tables again.`
        : 'Nothing was linked.',
    );
  } finally {
    await store.close();
  }
}
