// Runs the graphql-http audit of GraphQL over HTTP against the URL given
// as the first argument and prints one JSON line per audit:
// {"id", "name", "status": "ok" | "notice" | "warn" | "error", "reason"}.
// "error" is a MUST that failed, "warn" a SHOULD, "notice" a MAY.
import { auditServer } from 'graphql-http';

const url = process.argv[2];
const results = await auditServer({ url });
for (const r of results) {
  const line = { id: r.id, name: r.name, status: r.status };
  if (r.status !== 'ok') {
    line.reason = r.reason;
    try {
      line.body = (await r.response.text()).slice(0, 300);
      line.httpStatus = r.response.status;
    } catch {
      // the body was read by the audit
    }
  }
  console.log(JSON.stringify(line));
}
