'use strict';
// Usage: node node-redis-smoke.js PACKAGE PORT [PREFIX] [RESP]
//   PACKAGE: "redis4" (node-redis v4, installed under an alias) or "redis" (node-redis current)
//   RESP:    omit for the library's default (v4: RESP2 only; v6: RESP3, sent as HELLO 3),
//            or "2" / "3" to choose the protocol (node-redis v5 and later only)
// Connects with default options otherwise, runs ordinary commands, prints one JSON line and
// exits 0 when every check passed, 1 otherwise. Keys written: PREFIX:str, PREFIX:counter,
// PREFIX:ttl, PREFIX:tx:a, PREFIX:tx:b (left in place so the caller can read them back).
const pkg = process.argv[2];
const port = Number(process.argv[3]);
const prefix = process.argv[4] || pkg;
const resp = process.argv[5] ? Number(process.argv[5]) : undefined;

const result = { client: 'node-redis', package: pkg, checks: {}, failures: [] };

function check(name, actual, expected) {
  const ok = JSON.stringify(actual) === JSON.stringify(expected);
  result.checks[name] = actual;
  if (!ok) result.failures.push(`${name}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

function finish(code) {
  result.ok = code === 0 && result.failures.length === 0;
  process.stdout.write(JSON.stringify(result) + '\n');
  process.exit(result.ok ? 0 : 1);
}

const watchdog = setTimeout(() => {
  result.failures.push('timed out');
  finish(1);
}, 20000);

async function close(client) {
  if (typeof client.close === 'function') await client.close();
  else await client.quit();
}

async function main() {
  if ((pkg !== 'redis' && pkg !== 'redis4') || !Number.isInteger(port) || port <= 0) {
    throw new Error('usage: node node-redis-smoke.js redis|redis4 PORT [PREFIX] [RESP]');
  }
  const { createClient } = require(pkg);
  result.version = require(`${pkg}/package.json`).version;
  result.resp = resp ?? 'default';
  const options = { socket: { host: '127.0.0.1', port, reconnectStrategy: false } };
  if (resp !== undefined) options.RESP = resp;
  const client = createClient(options);
  client.on('error', (e) => result.failures.push('client error: ' + e.message));
  await client.connect();
  check('isReady', client.isReady, true);
  check('ping', await client.ping(), 'PONG');

  check('set', await client.set(`${prefix}:str`, 'hello'), 'OK');
  check('get', await client.get(`${prefix}:str`), 'hello');
  check('get_missing', await client.get(`${prefix}:missing`), null);
  check('incr1', await client.incr(`${prefix}:counter`), 1);
  check('incrby', await client.incrBy(`${prefix}:counter`, 2), 3);
  check('set_tmp', await client.set(`${prefix}:tmp`, 'x'), 'OK');
  check('del', await client.del([`${prefix}:tmp`, `${prefix}:missing`]), 1);
  check('set_ttl', await client.set(`${prefix}:ttl`, 'v'), 'OK');
  // v4 maps EXPIRE's integer to a boolean, later versions return the integer.
  check('expire', Number(await client.expire(`${prefix}:ttl`, 100)), 1);
  const ttl = await client.ttl(`${prefix}:ttl`);
  check('ttl_in_range', ttl > 90 && ttl <= 100, true);
  check('ttl_missing', await client.ttl(`${prefix}:missing`), -2);

  const exec = await client.multi()
    .set(`${prefix}:tx:a`, '1')
    .incr(`${prefix}:tx:a`)
    .set(`${prefix}:tx:b`, 'b')
    .get(`${prefix}:tx:b`)
    .exec();
  check('multi_exec', exec, ['OK', 2, 'OK', 'b']);
  check('mget', await client.mGet([`${prefix}:str`, `${prefix}:missing`, `${prefix}:tx:a`]), ['hello', null, '2']);

  // Commands issued together are written as one pipeline.
  const pipelined = await Promise.all([
    client.set(`${prefix}:p`, 'p'),
    client.get(`${prefix}:p`),
    client.del(`${prefix}:p`),
  ]);
  check('pipeline', pipelined, ['OK', 'p', 1]);

  // Pub/sub on a second connection, as node-redis requires.
  const sub = client.duplicate();
  sub.on('error', (e) => result.failures.push('subscriber error: ' + e.message));
  await sub.connect();
  const channel = `${prefix}:chan`;
  let deliver;
  const received = new Promise((resolve) => { deliver = resolve; });
  await sub.subscribe(channel, (message, ch) => deliver([ch, message]));
  check('publish', await client.publish(channel, 'hi there'), 1);
  check('message', await received, [channel, 'hi there']);
  await sub.unsubscribe(channel);
  // node-redis v6 over RESP2 hands a subscriber connection's replies back as Buffers.
  check('sub_ping_after_unsubscribe', String(await sub.ping()), 'PONG');

  await close(sub);
  await close(client);
}

main().then(() => { clearTimeout(watchdog); finish(0); }, (e) => {
  clearTimeout(watchdog);
  result.failures.push('exception: ' + (e && e.stack ? e.stack : String(e)));
  finish(1);
});
