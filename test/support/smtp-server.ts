/**
 * A real SMTP server on 127.0.0.1 (the `smtp-server` package) for the mail tests: it keeps what it
 * receives, can require a login, can refuse a recipient for good (550), and can be slow: wait
 * before accepting a recipient (a timeout before DATA) or before its final reply to a message it
 * has already received whole (a timeout after DATA).
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  data: string;
}

export interface LocalSmtp {
  port: number;
  received: ReceivedMail[];
  close(): Promise<void>;
}

export async function startSmtp(
  options: {
    port?: number;
    login?: { user: string; pass: string };
    refuse?: string[];
    /** Milliseconds to wait before answering RCPT TO, or the final reply after the message data. */
    slow?: { rcptMs?: number; dataMs?: number };
  } = {},
): Promise<LocalSmtp> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', ...(options.login ? [] : ['AUTH'])],
    authOptional: !options.login,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (options.login && auth.username === options.login.user && auth.password === options.login.pass)
        callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onRcptTo(address, _session, callback) {
      if (options.refuse?.includes(address.address)) {
        const error = new Error(`Mailbox ${address.address} does not exist`) as Error & { responseCode: number };
        error.responseCode = 550;
        callback(error);
      } else setTimeout(() => callback(), options.slow?.rcptMs ?? 0);
    },
    onData(stream, session, callback) {
      let data = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => (data += chunk));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          data,
        });
        setTimeout(() => callback(), options.slow?.dataMs ?? 0);
      });
    },
  });
  // A client that gave up on a slow reply has closed its socket: not a test failure.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Settings → Email (SMTP) pointing at a local test server (no login, no TLS). */
export function localSmtpSettings(port: number) {
  return {
    host: '127.0.0.1',
    port,
    security: 'none' as const,
    username: null,
    passwordRef: null,
    fromEmail: 'csm@foresight.example',
    fromName: 'Your CSM',
  };
}
