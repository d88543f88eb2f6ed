// A tiny HTTP proxy in front of dynalite for the throttling tests of failures.sh: answers the
// first N requests with a DynamoDB throttling error, then forwards everything to the target.
//
//   node throttle_proxy.mjs TARGET_URL N [MODE]
//     MODE throughput (default): HTTP 400 ProvisionedThroughputExceededException
//          throttling:           HTTP 400 ThrottlingException
//          5xx:                  HTTP 500 InternalServerError
// Prints the port it listens on (127.0.0.1, a free port) as its first stdout line.
// GET /__stats answers {"throttled": T, "forwarded": F} (not counted as a request).
import http from 'node:http';

const [, , target, limitArg, mode = 'throughput'] = process.argv;
const upstream = new URL(target);
const limit = Number(limitArg ?? 0);
const agent = new http.Agent({ keepAlive: true });
let throttled = 0;
let forwarded = 0;

const errors = {
  throughput: [400, 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
    'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.'],
  throttling: [400, 'com.amazon.coral.availability#ThrottlingException', 'Rate of requests exceeds the allowed throughput.'],
  '5xx': [500, 'com.amazon.coral.service#InternalServerError', 'Internal server error (simulated).'],
};

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/__stats') {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ throttled, forwarded }));
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    if (throttled < limit) {
      throttled++;
      const [status, type, message] = errors[mode];
      const payload = JSON.stringify({ __type: type, message });
      res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.0', 'Content-Length': Buffer.byteLength(payload),
        'x-amzn-RequestId': `throttle-${throttled}` });
      res.end(payload);
      return;
    }
    forwarded++;
    const headers = { ...req.headers, host: upstream.host, 'content-length': body.length };
    const out = http.request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers, agent },
      (up) => {
        res.writeHead(up.statusCode, up.headers);
        up.pipe(res);
      });
    out.on('error', (e) => {
      res.writeHead(502);
      res.end(String(e));
    });
    out.end(body);
  });
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
