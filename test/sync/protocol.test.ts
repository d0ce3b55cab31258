import test from 'ava';
import { HELP_LINES } from '../../src/sync/protocol.ts';
import { LineSocket, TOKEN, fieldsOf, startServer } from './support.ts';

test('P1: 9 KiB without a newline gets ERR line-too-long and a close', async (t) => {
  const server = await startServer(t);
  const line = await LineSocket.member(t, server, 'a');
  line.socket.write('STATUS ' + 'x'.repeat(9 * 1024));
  t.is(await line.next(), 'ERR line-too-long');
  await line.closed;
  t.false(line.isOpen);
});

test('P1: \\r\\n line ends are accepted', async (t) => {
  const server = await startServer(t);
  const line = await LineSocket.open(server.address.port, t);
  line.socket.write(`HELLO 1 member=a token=${TOKEN}\r\nPING id=p1\r\n`);
  t.regex(await line.next(), /^WELCOME 1 /);
  t.regex(await line.next(), /^PONG t=\d+ id=p1$/);
});

test('P2: an unknown verb gets ERR unknown-verb VERB and the connection lives on; unknown fields are ignored', async (t) => {
  const server = await startServer(t);
  const line = await LineSocket.member(t, server, 'a');
  line.send('FROBNICATE now id=f1');
  t.is(await line.next(), 'ERR unknown-verb FROBNICATE id=f1');
  line.send('WAIT b count=2 future_field=yes colour=blue id=w1');
  t.is(await line.next(), 'QUEUED b gen=1 arrived=1/2 id=w1');
  line.send('PING');
  t.regex(await line.next(), /^PONG /);
});

test('P2: bad requests get an ERR reason and the connection lives on', async (t) => {
  const server = await startServer(t);
  const line = await LineSocket.member(t, server, 'a');
  const cases: [string, string][] = [
    ['WAIT', 'ERR bad-request field=name'],
    ['WAIT b count=zero', 'ERR bad-request field=count'],
    ['WAIT b', 'ERR bad-request field=count'],
    ['WAIT b count=2 data=50%', 'ERR bad-encoding field=data'],
    ['WAIT b;rm count=2', 'ERR bad-name field=name'],
    ['CANCEL nothing', 'ERR not-waiting barrier=nothing'],
    ['HELLO 1 member=a token=' + TOKEN, 'ERR already-hello'],
  ];
  for (const [request, reply] of cases) {
    line.send(request);
    t.is(await line.next(), reply, request);
  }
  t.true(line.isOpen);
});

test('P3: every answering line echoes id=, so requests can be pipelined', async (t) => {
  const server = await startServer(t);
  const a = await LineSocket.member(t, server, 'a');
  a.send(
    'PING id=1',
    'WAIT x count=2 id=2',
    'STATUS x id=3',
    'BOGUS id=4',
    'ABORT y reason=r id=5',
    'HELP id=6',
  );
  const replies = [];
  for (let index = 0; index < 6 + HELP_LINES.length + 1; index++) replies.push(await a.next());
  t.regex(replies[0], /^PONG .*id=1$/);
  t.is(replies[1], 'QUEUED x gen=1 arrived=1/2 id=2');
  t.regex(replies[2], /^BARRIER x .*id=3$/);
  t.is(replies[3], 'END id=3');
  t.is(replies[4], 'ERR unknown-verb BOGUS id=4');
  t.is(replies[5], 'OK ABORT y gen=1 id=5');
  for (const reply of replies.slice(6)) t.regex(reply, /id=6$/);
  const b = await LineSocket.member(t, server, 'b');
  b.send('WAIT x count=2 id=bw');
  t.regex(await a.next(), /^GO x gen=1 .*id=2$/);
  t.regex(await b.next(), /^GO x gen=1 .*id=bw$/);
});

test('P4: a human with nc can join, wait, abort and inspect, line by line, including HELP and STATUS', async (t) => {
  const server = await startServer(t);
  const human = await LineSocket.open(server.address.port, t);
  human.send(`HELLO 1 member=db1 session=- token=${TOKEN}`);
  const welcome = fieldsOf(await human.next());
  human.send('HELP');
  for (const help of HELP_LINES) t.is(await human.next(), 'HELP ' + help);
  t.is(await human.next(), 'END');
  t.true(
    HELP_LINES.some((help) => help.startsWith('WAIT ')) &&
      HELP_LINES.some((help) => help.startsWith('STATUS')),
  );

  t.truthy(welcome.session);
  t.is(welcome.member, 'db1');

  human.send('WAIT setup members=db1,web1,web2 timeout_ms=60000');
  t.is(await human.next(), 'QUEUED setup gen=1 arrived=1/3');
  const web1 = await LineSocket.member(t, server, 'web1');
  web1.send('WAIT setup count=3');
  await web1.expect('QUEUED');

  human.send('STATUS');
  const status = await human.next();
  t.regex(status, /^BARRIER setup /);
  t.like(fieldsOf(status), {
    gen: '1',
    state: 'open',
    count: '3',
    arrived: 'db1,web1',
    missing: 'web2',
    missing_count: '1',
  });
  t.is(await human.next(), 'END');

  human.send('ABORT setup reason=install%20failed');
  const aborted = await human.expect('ABORTED');
  t.like(fieldsOf(aborted), { gen: '1', by: 'db1', reason: 'install%20failed' });
  t.is(await human.expect('OK'), 'OK ABORT setup gen=1');
  t.like(fieldsOf(await web1.expect('ABORTED')), { gen: '1', by: 'db1' });

  human.send('STATUS setup');
  t.like(fieldsOf(await human.next()), { state: 'aborted', by: 'db1' });
  t.is(await human.next(), 'END');
  human.send('BYE');
  t.is(await human.next(), 'OK BYE');
  await human.closed;
});
