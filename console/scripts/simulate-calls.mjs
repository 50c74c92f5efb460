#!/usr/bin/env node
// Plays phone calls against a running server, as a PBX would (POST /api/v1/telephony/events),
// so the hotline desk's ringing panel and call-back list can be tried without a phone system.
//
//   node scripts/simulate-calls.mjs [--base http://127.0.0.1:8080] [--token dev-telephony-token]
//        [--from 13800000005] [--to 96123] [--agent 8001] [--answer] [--ring 5] [--talk 10]
//
// Without --answer the call rings and is hung up unanswered (a missed call: it lands in the
// call-back list). --ring / --talk are seconds. The token is the server's telephony.token
// setting (QINQING_TELEPHONY__TOKEN).
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    base: { type: 'string', default: process.env.QINQING_BASE ?? 'http://127.0.0.1:8080' },
    token: { type: 'string', default: process.env.QINQING_TELEPHONY__TOKEN ?? 'dev-telephony-token' },
    from: { type: 'string', default: '13800000005' },
    to: { type: 'string', default: '96123' },
    agent: { type: 'string' },
    answer: { type: 'boolean', default: false },
    ring: { type: 'string', default: '5' },
    talk: { type: 'string', default: '10' },
  },
});

const callId = `sim-${Date.now().toString(36)}`;
const sleep = (s) => new Promise((r) => setTimeout(r, Number(s) * 1000));

async function send(event) {
  const body = { event, callId, from: values.from, to: values.to, direction: 'in', at: new Date().toISOString() };
  if (values.agent) body.agent = values.agent;
  const r = await fetch(`${values.base}/api/v1/telephony/events`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Telephony-Token': values.token },
    body: JSON.stringify(body),
  });
  console.log(`${event.padEnd(7)} ${callId} from ${values.from}: HTTP ${r.status}${r.status === 204 ? '' : ` ${await r.text()}`}`);
  if (r.status !== 204) process.exit(1);
}

await send('newCall');
await sleep(values.ring);
if (values.answer) {
  await send('answer');
  await sleep(values.talk);
}
await send('hangup');
