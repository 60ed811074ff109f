// Parses the iCalendar file on stdin with ical.js and prints its events
// as JSON: [{summary, start, end, uid}], or exits 1 with the parser's error.
import ICAL from 'ical.js';

let text = '';
process.stdin.setEncoding('utf8');
for await (const chunk of process.stdin) text += chunk;
try {
  const cal = new ICAL.Component(ICAL.parse(text));
  const events = cal.getAllSubcomponents('vevent').map((c) => {
    const e = new ICAL.Event(c);
    return { summary: e.summary, start: e.startDate.toJSDate().toISOString(), end: e.endDate.toJSDate().toISOString(), uid: e.uid };
  });
  console.log(JSON.stringify(events));
} catch (err) {
  console.error(String(err));
  process.exit(1);
}
