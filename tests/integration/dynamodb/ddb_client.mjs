// A minimal DynamoDB JSON 1.0 client for dynalite (which requires an Authorization header but
// does not verify the signature), used where the aws CLI is too slow: bulk loading and the
// plain parallel-Scan baseline of bench/dynamodb.sh.
//
//   node ddb_client.mjs load TABLE COUNT PAD_BYTES [FIRST]   BatchWriteItem, 25 items a call,
//        items {pk: S "k%07d", n: N, grp: N (n % 10), pad: S}; UnprocessedItems retried
//        (DDB_KEY / DDB_KEY_PREFIX rename pk / k)
//   node ddb_client.mjs put TABLE ITEM_JSON...               PutItem, the item in wire format
//        (B/BS values are base64 of the bytes, unlike aws CLI v1 which encodes them again)
//   node ddb_client.mjs scan TABLE SEGMENTS [PROJECTION]      parallel Scan; prints JSON
//        {items, sum_n, ms}
// The endpoint is TRIBUTARY_DYNAMODB_ENDPOINT.
import http from 'node:http';

const endpoint = new URL(process.env.TRIBUTARY_DYNAMODB_ENDPOINT ?? 'http://127.0.0.1:8000');
// The hash key attribute and value prefix of `load` (bench/dynamodb.sh uses order_id / o).
const KEY = process.env.DDB_KEY ?? 'pk';
const KEY_PREFIX = process.env.DDB_KEY_PREFIX ?? 'k';
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const AUTH = 'AWS4-HMAC-SHA256 Credential=x/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0';

export function call(op, body) {
  const data = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: endpoint.hostname, port: endpoint.port, path: '/', method: 'POST', agent,
      headers: {
        'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': `DynamoDB_20120810.${op}`,
        'X-Amz-Date': '20240101T000000Z', Authorization: AUTH, 'Content-Length': data.length,
      },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        if (res.statusCode !== 200) reject(new Error(`${op}: HTTP ${res.statusCode} ${text}`));
        else resolve(JSON.parse(text));
      });
    });
    req.on('error', reject);
    req.end(data);
  });
}

async function load(table, count, padBytes, first = 1) {
  const pad = 'p'.repeat(padBytes);
  const batches = [];
  for (let start = first; start < first + count; start += 25) {
    const items = [];
    for (let n = start; n < Math.min(start + 25, first + count); n++) {
      items.push({ PutRequest: { Item: {
        [KEY]: { S: `${KEY_PREFIX}${String(n).padStart(7, '0')}` }, n: { N: String(n) }, grp: { N: String(n % 10) },
        pad: { S: pad },
      } } });
    }
    batches.push(items);
  }
  let next = 0;
  async function worker() {
    while (next < batches.length) {
      let request = { [table]: batches[next++] };
      for (let attempt = 0; Object.keys(request).length > 0; attempt++) {
        if (attempt > 20) throw new Error('UnprocessedItems not drained');
        const r = await call('BatchWriteItem', { RequestItems: request });
        request = r.UnprocessedItems ?? {};
      }
    }
  }
  await Promise.all(Array.from({ length: 16 }, worker));
}

async function scan(table, segments, projection) {
  const start = performance.now();
  let items = 0;
  let sum = 0n;
  await Promise.all(Array.from({ length: segments }, async (_, segment) => {
    let key;
    do {
      const body = { TableName: table, Segment: segment, TotalSegments: segments };
      if (projection) {
        const names = projection.split(',');
        body.ProjectionExpression = names.map((_, i) => `#n${i}`).join(', ');
        body.ExpressionAttributeNames = Object.fromEntries(names.map((n, i) => [`#n${i}`, n]));
      }
      if (key) body.ExclusiveStartKey = key;
      const r = await call('Scan', body);
      for (const item of r.Items) {
        items++;
        if (item.n) sum += BigInt(item.n.N);
      }
      key = r.LastEvaluatedKey;
    } while (key);
  }));
  return { items, sum_n: sum.toString(), ms: Math.round(performance.now() - start) };
}

const [, , cmd, ...args] = process.argv;
if (cmd === 'load') {
  await load(args[0], Number(args[1]), Number(args[2]), Number(args[3] ?? 1));
} else if (cmd === 'put') {
  for (const item of args.slice(1)) await call('PutItem', { TableName: args[0], Item: JSON.parse(item) });
} else if (cmd === 'scan') {
  console.log(JSON.stringify(await scan(args[0], Number(args[1]), args[2])));
} else if (cmd !== undefined) {
  console.error('usage: ddb_client.mjs load TABLE COUNT PAD_BYTES [FIRST] | put TABLE ITEM_JSON... | scan TABLE SEGMENTS [PROJECTION]');
  process.exit(2);
}
