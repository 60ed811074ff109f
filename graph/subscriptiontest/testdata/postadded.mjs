// End-to-end client for the Hub's postAdded subscription, driven by
// nodeclient_test.go.
//
// usage: node postadded.mjs <ws-url> <token> <topic-id> <posts>
//
// It connects with the npm graphql-ws client (graphql-transport-ws), sending
// "Bearer <token>" in the connection_init payload when token is not empty,
// subscribes to postAdded(topicId: <topic-id>), unsubscribes after <posts>
// results and disposes the client. Every client event and result is printed
// as one JSON line.
//
// The packages are those of internal/wstransport/testdata/js (its
// package.json and lock file): from its node_modules (npm ci --prefix
// internal/wstransport/testdata/js), or from the directory HUB_JS_DIR names
// when set. They are loaded through require, as ES module imports cannot
// be pointed at another directory's node_modules.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const packages = process.env.HUB_JS_DIR
  ? pathToFileURL(join(process.env.HUB_JS_DIR, 'package.json'))
  : new URL('../../../internal/wstransport/testdata/js/package.json', import.meta.url);
const require = createRequire(packages);
const { createClient } = require('graphql-ws');
const WebSocket = require('ws');

const [url, token = '', topicId, posts = '1'] = process.argv.slice(2);
const out = (line) => process.stdout.write(JSON.stringify(line) + '\n');

const client = createClient({
  url,
  webSocketImpl: WebSocket,
  lazy: false,
  retryAttempts: 0,
  onNonLazyError: () => {}, // errors reach the subscribe sink below
  connectionParams: token ? { authorization: `Bearer ${token}` } : {},
  on: {
    connected: () => out({ event: 'connected' }),
    closed: (ev) => out({ event: 'closed', code: ev.code, reason: ev.reason }),
  },
});

// describe turns an error or a CloseEvent into plain JSON.
function describe(err) {
  if (err && typeof err.code === 'number') return { code: err.code, reason: err.reason };
  if (Array.isArray(err)) return { errors: err };
  return { message: String(err && err.message ? err.message : err) };
}

const query = `subscription($t: ID!) { postAdded(topicId: $t) { id body author { id } } }`;

try {
  await new Promise((resolve, reject) => {
    let received = 0;
    const unsubscribe = client.subscribe(
      { query, variables: { t: topicId } },
      {
        next: (result) => {
          out({ event: 'result', result });
          if (++received === Number(posts)) {
            unsubscribe();
            resolve();
          }
        },
        error: reject,
        complete: resolve,
      },
    );
  });
  out({ event: 'done' });
} catch (err) {
  out({ event: 'error', error: describe(err) });
} finally {
  await client.dispose();
}
