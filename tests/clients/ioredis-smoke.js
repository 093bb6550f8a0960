'use strict';
// Usage: node ioredis-smoke.js PORT [PREFIX]
// Connects with ioredis's default options, runs ordinary commands, prints one JSON line and
// exits 0 when every check passed, 1 otherwise. Keys written: PREFIX:str, PREFIX:counter,
// PREFIX:ttl, PREFIX:tx:a, PREFIX:tx:b (left in place so the caller can read them back).
const Redis = require('ioredis');

const port = Number(process.argv[2]);
const prefix = process.argv[3] || 'ioredis';
const result = { client: 'ioredis', version: require('ioredis/package.json').version, checks: {}, failures: [] };

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

async function main() {
  if (!Number.isInteger(port) || port <= 0) throw new Error('usage: node ioredis-smoke.js PORT [PREFIX]');
  const redis = new Redis(port, '127.0.0.1');
  redis.on('error', (e) => result.failures.push('client error: ' + e.message));
  await new Promise((resolve, reject) => {
    redis.once('ready', resolve);
    redis.once('end', () => reject(new Error('connection ended before ready')));
  });
  check('status', redis.status, 'ready');
  check('ping', await redis.ping(), 'PONG');

  check('set', await redis.set(`${prefix}:str`, 'hello'), 'OK');
  check('get', await redis.get(`${prefix}:str`), 'hello');
  check('get_missing', await redis.get(`${prefix}:missing`), null);
  check('incr1', await redis.incr(`${prefix}:counter`), 1);
  check('incrby', await redis.incrby(`${prefix}:counter`, 2), 3);
  check('set_tmp', await redis.set(`${prefix}:tmp`, 'x'), 'OK');
  check('del', await redis.del(`${prefix}:tmp`, `${prefix}:missing`), 1);
  check('set_ttl', await redis.set(`${prefix}:ttl`, 'v'), 'OK');
  check('expire', await redis.expire(`${prefix}:ttl`, 100), 1);
  const ttl = await redis.ttl(`${prefix}:ttl`);
  check('ttl_in_range', ttl > 90 && ttl <= 100, true);
  check('ttl_missing', await redis.ttl(`${prefix}:missing`), -2);

  const exec = await redis.multi()
    .set(`${prefix}:tx:a`, '1')
    .incr(`${prefix}:tx:a`)
    .set(`${prefix}:tx:b`, 'b')
    .get(`${prefix}:tx:b`)
    .exec();
  check('multi_exec', exec, [[null, 'OK'], [null, 2], [null, 'OK'], [null, 'b']]);
  check('mget', await redis.mget(`${prefix}:str`, `${prefix}:missing`, `${prefix}:tx:a`), ['hello', null, '2']);

  const pipeline = await redis.pipeline().set(`${prefix}:p`, 'p').get(`${prefix}:p`).del(`${prefix}:p`).exec();
  check('pipeline', pipeline, [[null, 'OK'], [null, 'p'], [null, 1]]);

  // Pub/sub on a second connection, as applications do.
  const sub = redis.duplicate();
  sub.on('error', (e) => result.failures.push('subscriber error: ' + e.message));
  const channel = `${prefix}:chan`;
  const received = new Promise((resolve) => sub.on('message', (ch, msg) => resolve([ch, msg])));
  check('subscribe', await sub.subscribe(channel), 1);
  check('publish', await redis.publish(channel, 'hi there'), 1);
  check('message', await received, [channel, 'hi there']);
  check('unsubscribe', await sub.unsubscribe(channel), 0);
  check('sub_ping_after_unsubscribe', await sub.ping(), 'PONG');

  await sub.quit();
  await redis.quit();
}

main().then(() => { clearTimeout(watchdog); finish(0); }, (e) => {
  clearTimeout(watchdog);
  result.failures.push('exception: ' + (e && e.stack ? e.stack : String(e)));
  finish(1);
});
