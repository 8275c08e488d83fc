/**
 * PostgreSQL connection URLs as users type them. A URL that cannot be read is never repeated back — it may be a bare
 * password, or one in a place the password mask does not recognise (`u:secret@host` has no scheme) — so errors
 * describe what is wrong instead, and anything printed about a server is rebuilt from the parsed parts, password and
 * query string left out.
 */
import { InvalidArgument } from '@pgml-ts/core';

const EXAMPLE = 'postgres://user:password@host:5432/database';
const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

/** Reads `text` as a PostgreSQL URL; an `InvalidArgument` that says what is wrong, without the text, otherwise. */
export function parseConnectionUrl(text: unknown): URL {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new InvalidArgument(`the PostgreSQL connection URL is empty; expected ${EXAMPLE}`);
  }
  const notRepeated = `(the value given, ${text.length} characters, is not repeated: it may hold a password)`;
  const scheme = SCHEME.exec(text)?.[1];
  if (scheme === undefined) {
    throw new InvalidArgument(
      `not a PostgreSQL connection URL: it does not start with postgres:// or postgresql://; expected ${EXAMPLE} ${notRepeated}`,
      { reason: 'no scheme' },
    );
  }
  if (!/^postgres(ql)?$/i.test(scheme)) {
    // The scheme is the text before "://", which holds no password; naming it shows the typo (postgress://, mysql://).
    throw new InvalidArgument(`not a PostgreSQL connection URL: its scheme is ${scheme}://, expected postgres:// or postgresql://`, {
      reason: 'scheme',
      scheme,
    });
  }
  try {
    return new URL(text);
  } catch {
    // Node's own message quotes the input, so it is not passed on.
    throw new InvalidArgument(
      `not a valid PostgreSQL connection URL: check the host, that the port is a number, and that @ : / # ? in the user ` +
        `name or password are percent-encoded (@ is %40); expected ${EXAMPLE} ${notRepeated}`,
      { reason: 'unparseable' },
    );
  }
}

/** `postgres://user@host:port/database`: what to print about a server (no password, no query string). */
export function describeServer(url: URL): string {
  const user = url.username ? `${url.username}@` : '';
  return `${url.protocol}//${user}${url.host}${url.pathname === '/' ? '' : url.pathname}`;
}

/** `describeServer` for text that may not parse: then only "the PostgreSQL server", never the text. */
export function describeUrlText(text: string): string {
  try {
    return describeServer(parseConnectionUrl(text));
  } catch {
    return 'the PostgreSQL server';
  }
}
