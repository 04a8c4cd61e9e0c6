#!/usr/bin/env node
// A Node.js client of yingshangd, using nothing but the proto contract:
// @grpc/proto-loader reads proto/ at run time (no generated code), and
// @grpc/grpc-js talks to the server. Commands:
//
//   ingest FILE...               stream documents in, print one ack per file
//   indicators --region CODE [--from DATE] [--to DATE] [--name TEXT]
//                                list indicators of a region (and descendants)
//   follow [--start SEQ] [--count N]
//                                print change events from SEQ, N of them
//   standard                     gRPC health check and server reflection only
//   demo SAMPLES_DIR             all of the above, checked: ingests half the
//                                files, follows from sequence 1, disconnects,
//                                ingests the rest, resumes from last + 1 and
//                                checks that no event was missed or repeated
//
// Options: --server HOST:PORT (default 127.0.0.1:50051), --proto-dir DIR.
// Exit status: 0 success, 1 a check or an RPC failed, 2 usage.
'use strict';

const fs = require('fs');
const path = require('path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const DEFAULT_PROTO_DIR = path.resolve(__dirname, '..', '..', '..', 'proto');
const STANDARD_PROTO_DIR = path.resolve(__dirname, '..', 'standard_protos');

class CheckFailed extends Error {}

function check(condition, message) {
  if (!condition) throw new CheckFailed(message);
}

// Loads the contract and the two standard protocols; returns the packages.
function loadProtos(protoDir) {
  const options = {
    keepCase: true,     // Field names as in the .proto files.
    longs: Number,      // uint64 sequences and sizes stay far below 2^53.
    enums: String,      // Enum values by name, e.g. "INGEST_STATUS_CREATED".
    defaults: true,
    oneofs: true,       // Sets the oneof's name to the field that is set.
    includeDirs: [protoDir, STANDARD_PROTO_DIR],
  };
  const files = ['admin', 'ingestion', 'query', 'resources', 'subscription']
      .map((n) => `yingshang/v1/${n}.proto`)
      .concat(['ys_std/health.proto', 'ys_std/reflection.proto']);
  for (const f of files.slice(0, 5)) {
    if (!fs.existsSync(path.join(protoDir, f))) {
      throw new Error(`proto file not found: ${path.join(protoDir, f)}`);
    }
  }
  return grpc.loadPackageDefinition(protoLoader.loadSync(files, options));
}

function makeClients(pkgs, server) {
  const creds = grpc.credentials.createInsecure();
  const v1 = pkgs.yingshang.v1;
  return {
    ingestion: new v1.IngestionService(server, creds),
    query: new v1.QueryService(server, creds),
    subscription: new v1.SubscriptionService(server, creds),
    health: new pkgs.grpc.health.v1.Health(server, creds),
    reflection: new pkgs.grpc.reflection.v1alpha.ServerReflection(server, creds),
  };
}

function deadline(seconds) {
  return new Date(Date.now() + seconds * 1000);
}

function waitForReady(client, seconds) {
  return new Promise((resolve, reject) => {
    client.waitForReady(deadline(seconds), (err) => (err ? reject(err) : resolve()));
  });
}

// --- The three things an agency does ------------------------------------

// Streams the files in; resolves to the acknowledgements, in order.
function ingest(clients, files, hints = {}) {
  return new Promise((resolve, reject) => {
    const acks = [];
    const call = clients.ingestion.IngestDocuments({ deadline: deadline(120) });
    call.on('data', (ack) => acks.push(ack));
    call.on('error', reject);
    call.on('end', () => resolve(acks));
    for (const file of files) {
      call.write({
        content: fs.readFileSync(file),
        client_reference: path.basename(file),
        region_code: hints.region || '',
        published_date: hints.date || '',
      });
    }
    call.end();
  });
}

function unary(client, method, request, seconds = 30) {
  return new Promise((resolve, reject) => {
    client[method](request, { deadline: deadline(seconds) },
        (err, response) => (err ? reject(err) : resolve(response)));
  });
}

// Every indicator of a region and date range, following page tokens.
async function listIndicators(clients, region, fromDate = '', toDate = '', name = '') {
  const request = {
    filter: { region_code: region, from_date: fromDate, to_date: toDate },
    name_contains: name,
    page_size: 100,
    page_token: '',
  };
  const out = [];
  for (;;) {
    const response = await unary(clients.query, 'ListIndicators', request);
    out.push(...response.indicators);
    if (!response.next_page_token) return out;
    request.page_token = response.next_page_token;
  }
}

// Reads `count` change events from startSequence, then disconnects
// (cancels the call). Progress events are skipped.
function follow(clients, startSequence, count, seconds = 60) {
  return new Promise((resolve, reject) => {
    const events = [];
    let done = false;
    const call = clients.subscription.Subscribe(
        { start_sequence: startSequence }, { deadline: deadline(seconds) });
    call.on('data', (response) => {
      if (done || response.event !== 'change') return;
      events.push(response.change);
      if (events.length >= count) {
        done = true;
        call.cancel();
        resolve(events);
      }
    });
    call.on('error', (err) => {
      if (!done) reject(err);
    });
    call.on('end', () => {
      if (!done) reject(new CheckFailed(`stream ended after ${events.length} events`));
    });
  });
}

// --- The standard endpoints ----------------------------------------------

async function checkHealth(clients) {
  const response = await unary(clients.health, 'Check', { service: '' }, 10);
  return response.status;
}

function reflect(clients, requests) {
  return new Promise((resolve, reject) => {
    const responses = [];
    const call = clients.reflection.ServerReflectionInfo({ deadline: deadline(10) });
    call.on('data', (r) => responses.push(r));
    call.on('error', reject);
    call.on('end', () => resolve(responses));
    for (const r of requests) call.write(r);
    call.end();
  });
}

async function listServices(clients) {
  const [response] = await reflect(clients, [{ list_services: '' }]);
  check(response.message_response === 'list_services_response',
      `reflection answered ${JSON.stringify(response)}`);
  return response.list_services_response.service.map((s) => s.name).sort();
}

// The file name of a serialized FileDescriptorProto: field 1, a string,
// always written first (tag 0x0a, then a varint length).
function descriptorName(bytes) {
  check(bytes[0] === 0x0a, 'FileDescriptorProto does not start with its name');
  let length = 0;
  let shift = 0;
  let i = 1;
  for (;;) {
    const b = bytes[i++];
    length |= (b & 0x7f) << shift;
    if (b < 0x80) break;
    shift += 7;
  }
  return bytes.slice(i, i + length).toString('utf8');
}

async function fileOfSymbol(clients, symbol) {
  const [response] = await reflect(clients, [{ file_containing_symbol: symbol }]);
  check(response.message_response === 'file_descriptor_response',
      `reflection answered ${JSON.stringify(response)}`);
  return descriptorName(response.file_descriptor_response.file_descriptor_proto[0]);
}

// --- Commands ---------------------------------------------------------------

async function cmdStandard(clients) {
  const status = await checkHealth(clients);
  console.log('health:', status);
  const services = await listServices(clients);
  console.log('services:', services.join(' '));
  check(status === 'SERVING', `health is ${status}, not SERVING`);
  for (const want of ['grpc.health.v1.Health', 'yingshang.v1.IngestionService',
    'yingshang.v1.QueryService', 'yingshang.v1.SubscriptionService',
    'yingshang.v1.AdminService']) {
    check(services.includes(want), `reflection does not list ${want}`);
  }
  const name = await fileOfSymbol(clients, 'yingshang.v1.QueryService');
  console.log('yingshang.v1.QueryService is defined in', name);
  check(name === 'yingshang/v1/query.proto', `QueryService comes from ${name}`);
}

async function cmdDemo(clients, samples) {
  const files = fs.readdirSync(samples)
      .filter((f) => f.endsWith('.txt') || f.endsWith('.html'))
      .sort()
      .map((f) => path.join(samples, f));
  check(files.length >= 4, `need at least 4 sample documents in ${samples}`);
  const half = Math.floor(files.length / 2);
  const rejected = (a) => a.status === 'INGEST_STATUS_REJECTED';

  // 1. Ingest the first half.
  const acks = await ingest(clients, files.slice(0, half));
  for (const a of acks) {
    console.log(`ingested ${a.client_reference}: ${a.status} seq=${a.sequence} region=${a.region_code}`);
  }
  check(acks.length === half && !acks.some(rejected), `first ingest: ${JSON.stringify(acks)}`);

  // 2. Follow from the start; read two events and disconnect.
  const first = await follow(clients, 1, 2);
  console.log('first session:', first.map((e) => e.sequence));

  // 3. While disconnected, the rest is ingested.
  const more = await ingest(clients, files.slice(half));
  check(!more.some(rejected), `second ingest: ${JSON.stringify(more)}`);
  const all = acks.concat(more);
  const sequences = all.map((a) => a.sequence).filter((s) => s > 0);
  const latest = Math.max(...sequences);

  // 4. Resume from last + 1 and read up to the latest sequence.
  const last = first[first.length - 1].sequence;
  const second = await follow(clients, last + 1, latest - last);
  console.log(`resumed from ${last + 1}:`, second.map((e) => e.sequence));
  const seen = first.concat(second).map((e) => e.sequence);
  const expected = Array.from({ length: latest }, (_, i) => i + 1);
  check(JSON.stringify(seen) === JSON.stringify(expected),
      `events have gaps or repeats: ${seen} (expected 1..${latest})`);
  const bySequence = new Map(first.concat(second).map((e) => [e.sequence, e.document.id]));
  for (const a of all) {
    if (a.sequence > 0) {
      check(bySequence.get(a.sequence) === a.document_id,
          `event ${a.sequence} is document ${bySequence.get(a.sequence)}, ack said ${a.document_id}`);
    }
  }

  // 5. Indicators of one region over a date range.
  const withData = all.find((a) => a.region_code && a.published_date && a.indicator_count > 0);
  check(withData, 'no sample has a region, a date and indicators');
  const region = withData.region_code;
  const year = withData.published_date.slice(0, 4);
  const indicators = await listIndicators(clients, region, `${year}-01-01`, `${year}-12-31`);
  console.log(`${indicators.length} indicators for region ${region} in ${year}, e.g. ` +
      indicators.slice(0, 3).map((i) => `${i.name}=${i.value}${i.unit}`).join(', '));
  check(indicators.length >= withData.indicator_count,
      `expected at least ${withData.indicator_count} indicators`);
  let prefix = region;
  while (prefix.endsWith('00')) prefix = prefix.slice(0, -2);
  for (const i of indicators) {
    check(i.region_code.startsWith(prefix) && i.date >= `${year}-01-01` && i.date <= `${year}-12-31`,
        `indicator outside the filter: ${JSON.stringify(i)}`);
  }
  const none = await listIndicators(clients, region, '1990-01-01', '1990-12-31');
  check(none.length === 0, `1990 should have no indicators, got ${none.length}`);

  // 6. The standard endpoints.
  await cmdStandard(clients);
  console.log('demo: OK');
}

function usage(message) {
  if (message) console.error(`yingshang_example.js: ${message}`);
  console.error('usage: yingshang_example.js [--server HOST:PORT] [--proto-dir DIR] ' +
      '(ingest FILE... | indicators --region CODE [--from D] [--to D] [--name T] | ' +
      'follow [--start SEQ] [--count N] | standard | demo SAMPLES_DIR)');
  process.exit(2);
}

// Splits argv into --flag value pairs and positional arguments.
function parseArgs(argv) {
  const flags = {};
  const rest = [];
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    if (a === '-h' || a === '--help') usage();
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) {
        flags[a.slice(2, eq)] = a.slice(eq + 1);
      } else {
        if (i + 1 >= argv.length) usage(`${a} needs a value`);
        flags[a.slice(2)] = argv[++i];
      }
    } else {
      rest.push(a);
    }
  }
  return { flags, rest };
}

async function main(argv) {
  const { flags, rest } = parseArgs(argv);
  const [command, ...args] = rest;
  if (!command) usage('no command');
  const server = flags.server || '127.0.0.1:50051';
  const clients = makeClients(loadProtos(flags['proto-dir'] || DEFAULT_PROTO_DIR), server);
  try {
    await waitForReady(clients.query, 30);
  } catch (err) {
    throw new CheckFailed(`cannot connect to ${server} within 30 s`);
  }
  switch (command) {
    case 'ingest': {
      if (args.length === 0) usage('ingest needs files');
      const acks = await ingest(clients, args, { region: flags.region, date: flags.date });
      for (const a of acks) {
        console.log([a.client_reference, a.status, a.document_id || '-',
          a.region_code || '-', `seq=${a.sequence}`, a.reason].join('\t'));
      }
      return acks.some((a) => a.status === 'INGEST_STATUS_REJECTED') ? 1 : 0;
    }
    case 'indicators': {
      if (!flags.region) usage('indicators needs --region');
      for (const i of await listIndicators(clients, flags.region, flags.from, flags.to, flags.name)) {
        console.log([i.region_code, i.date || '-', i.name, i.kind, i.value, i.unit].join('\t'));
      }
      return 0;
    }
    case 'follow': {
      const events = await follow(clients, Number(flags.start || 1), Number(flags.count || 10));
      for (const e of events) {
        console.log([e.sequence, e.type, e.document.id, e.document.title].join('\t'));
      }
      return 0;
    }
    case 'standard':
      await cmdStandard(clients);
      return 0;
    case 'demo':
      if (args.length !== 1) usage('demo needs SAMPLES_DIR');
      await cmdDemo(clients, args[0]);
      return 0;
    default:
      usage(`unknown command ${command}`);
  }
  return 2;
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      if (err instanceof CheckFailed) {
        console.error('FAILED:', err.message);
      } else if (err.code !== undefined && err.details !== undefined) {
        console.error(`RPC failed: ${grpc.status[err.code]}: ${err.details}`);
      } else {
        console.error(err.stack || String(err));
      }
      process.exit(1);
    });
