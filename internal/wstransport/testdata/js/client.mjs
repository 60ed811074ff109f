// End-to-end client for internal/wstransport, driven by e2e_node_test.go.
//
// usage: node client.mjs <ws-url> <token> <events>
//
// It connects with the graphql-ws client (graphql-transport-ws protocol),
// sending "Bearer <token>" in the connection_init payload when token is not
// empty, runs `{ viewer }`, subscribes to `subscription { events }`,
// unsubscribes after <events> results and disposes the client. Every protocol
// message received and every client event is printed as one JSON line.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [url, token = '', events = '3'] = process.argv.slice(2);
const out = (line) => process.stdout.write(JSON.stringify(line) + '\n');

const client = createClient({
  url,
  webSocketImpl: WebSocket,
  lazy: false,
  retryAttempts: 0,
  onNonLazyError: () => {}, // errors reach the subscribe sinks below
  connectionParams: token ? { authorization: `Bearer ${token}` } : {},
  on: {
    connected: (_socket, payload) => out({ event: 'connected', payload: payload ?? null }),
    message: (message) => out({ event: 'message', message }),
    closed: (ev) => out({ event: 'closed', code: ev.code, reason: ev.reason }),
  },
});

// run executes one operation and resolves with its results once it
// completes, or once `stopAfter` results arrived (then it unsubscribes).
function run(op, query, stopAfter = Infinity) {
  return new Promise((resolve, reject) => {
    const results = [];
    const unsubscribe = client.subscribe(
      { query },
      {
        next: (result) => {
          out({ event: 'result', op, result });
          results.push(result);
          if (results.length === stopAfter) {
            unsubscribe();
            resolve(results);
          }
        },
        error: reject,
        complete: () => resolve(results),
      },
    );
  });
}

// describe turns an error or a CloseEvent into plain JSON.
function describe(err) {
  if (err && typeof err.code === 'number') return { code: err.code, reason: err.reason };
  if (Array.isArray(err)) return { errors: err };
  return { message: String(err && err.message ? err.message : err) };
}

try {
  await run('viewer', '{ viewer }');
  await run('events', 'subscription { events }', Number(events));
  out({ event: 'done' });
} catch (err) {
  out({ event: 'error', error: describe(err) });
} finally {
  await client.dispose();
}
