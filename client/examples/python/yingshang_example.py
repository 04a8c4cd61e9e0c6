#!/usr/bin/env python3
"""A Python client of yingshangd, using nothing but the proto contract.

Stubs are generated from proto/ at start-up into a temporary directory with
grpc_tools.protoc (Debian: python3-grpcio, python3-grpc-tools); nothing
generated is committed. Commands:

  ingest FILE...             stream documents in, print one ack per file
  indicators --region CODE   list indicators of a region (and descendants)
             [--from DATE] [--to DATE] [--name TEXT]
  follow [--start SEQ] [--count N]
                             print change events from SEQ, N of them
  standard                   gRPC health check and server reflection only
                             (the standard protocols, no yingshang stubs)
  demo SAMPLES_DIR           all of the above, checked: ingests half the
                             files, follows from sequence 1, disconnects,
                             ingests the rest, resumes from last + 1 and
                             checks that no event was missed or repeated

Exit status: 0 success, 1 a check failed or an RPC failed, 2 usage.
"""

import argparse
import importlib
import os
import shutil
import sys
import tempfile

import grpc
from grpc_tools import protoc

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_PROTO_DIR = os.path.normpath(os.path.join(HERE, "..", "..", "..", "proto"))
STANDARD_PROTO_DIR = os.path.normpath(os.path.join(HERE, "..", "standard_protos"))
YINGSHANG_PROTOS = ["admin", "ingestion", "query", "resources", "subscription"]


class CheckFailed(Exception):
    """A demo check did not hold."""


def generate_stubs(out_dir, proto_dir):
    """Generates the yingshang and standard stubs into out_dir and imports them.

    Returns a namespace object with the modules as attributes (query_pb2,
    query_pb2_grpc, health_pb2, ...).
    """
    # grpc_tools ships the well-known types (google/protobuf/*.proto).
    well_known = os.path.join(os.path.dirname(protoc.__file__), "_proto")
    files = [os.path.join(proto_dir, "yingshang", "v1", name + ".proto")
             for name in YINGSHANG_PROTOS]
    files += [os.path.join(STANDARD_PROTO_DIR, "ys_std", name + ".proto")
              for name in ("health", "reflection")]
    for f in files:
        if not os.path.isfile(f):
            raise FileNotFoundError("proto file not found: " + f)
    args = ["grpc_tools.protoc", "-I" + proto_dir, "-I" + STANDARD_PROTO_DIR,
            "-I" + well_known, "--python_out=" + out_dir,
            "--grpc_python_out=" + out_dir] + files
    if protoc.main(args) != 0:
        raise RuntimeError("grpc_tools.protoc failed on " + proto_dir)
    sys.path.insert(0, out_dir)

    class Stubs:
        pass

    stubs = Stubs()
    for name in YINGSHANG_PROTOS:
        setattr(stubs, name + "_pb2", importlib.import_module("yingshang.v1." + name + "_pb2"))
        if name != "resources":
            setattr(stubs, name + "_pb2_grpc",
                    importlib.import_module("yingshang.v1." + name + "_pb2_grpc"))
    for name in ("health", "reflection"):
        setattr(stubs, name + "_pb2", importlib.import_module("ys_std." + name + "_pb2"))
        setattr(stubs, name + "_pb2_grpc", importlib.import_module("ys_std." + name + "_pb2_grpc"))
    return stubs


def enum_name(enum_type, value):
    try:
        return enum_type.Name(value)
    except ValueError:
        return str(value)


# --- The three things an agency does ---------------------------------------

def ingest(stubs, channel, paths, region=None, date=None, timeout=120):
    """Streams the files in; returns the acknowledgements, in order."""
    pb = stubs.ingestion_pb2
    stub = stubs.ingestion_pb2_grpc.IngestionServiceStub(channel)

    def requests():
        for path in paths:
            with open(path, "rb") as f:
                yield pb.IngestDocumentRequest(
                    content=f.read(), client_reference=os.path.basename(path),
                    region_code=region or "", published_date=date or "")

    return list(stub.IngestDocuments(requests(), timeout=timeout))


def list_indicators(stubs, channel, region, from_date="", to_date="", name="",
                    timeout=30):
    """All indicators of a region and date range, following page tokens."""
    q = stubs.query_pb2
    stub = stubs.query_pb2_grpc.QueryServiceStub(channel)
    request = q.ListIndicatorsRequest(
        filter=q.RegionDateFilter(region_code=region, from_date=from_date,
                                  to_date=to_date),
        name_contains=name, page_size=100)
    out = []
    while True:
        response = stub.ListIndicators(request, timeout=timeout)
        out.extend(response.indicators)
        if not response.next_page_token:
            return out
        request.page_token = response.next_page_token


def follow(stubs, channel, start_sequence, count, timeout=60):
    """Reads `count` change events from start_sequence, then disconnects.

    Returns the events. Progress events are skipped. The call is cancelled
    (the client disconnects) after the last event it wants.
    """
    s = stubs.subscription_pb2
    stub = stubs.subscription_pb2_grpc.SubscriptionServiceStub(channel)
    call = stub.Subscribe(s.SubscribeRequest(start_sequence=start_sequence),
                          timeout=timeout)
    events = []
    try:
        for response in call:
            if response.WhichOneof("event") != "change":
                continue
            events.append(response.change)
            if len(events) >= count:
                break
    finally:
        call.cancel()
    return events


# --- The standard endpoints --------------------------------------------------

def check_health(stubs, channel, service=""):
    h = stubs.health_pb2
    stub = stubs.health_pb2_grpc.HealthStub(channel)
    response = stub.Check(h.HealthCheckRequest(service=service), timeout=10)
    return h.HealthCheckResponse.ServingStatus.Name(response.status)


def reflect(stubs, channel, requests):
    """Sends reflection requests on one stream; returns the responses."""
    stub = stubs.reflection_pb2_grpc.ServerReflectionStub(channel)
    return list(stub.ServerReflectionInfo(iter(requests), timeout=10))


def list_services(stubs, channel):
    r = stubs.reflection_pb2
    (response,) = reflect(stubs, channel, [r.ServerReflectionRequest(list_services="")])
    if response.WhichOneof("message_response") != "list_services_response":
        raise CheckFailed("reflection answered %s" % response)
    return sorted(s.name for s in response.list_services_response.service)


def file_of_symbol(stubs, channel, symbol):
    """The name of the proto file that defines symbol, as reflection says."""
    from google.protobuf import descriptor_pb2
    r = stubs.reflection_pb2
    (response,) = reflect(stubs, channel,
                          [r.ServerReflectionRequest(file_containing_symbol=symbol)])
    if response.WhichOneof("message_response") != "file_descriptor_response":
        raise CheckFailed("reflection answered %s" % response)
    first = descriptor_pb2.FileDescriptorProto()
    first.ParseFromString(response.file_descriptor_response.file_descriptor_proto[0])
    return first.name


# --- Commands ------------------------------------------------------------

def cmd_ingest(stubs, channel, args):
    acks = ingest(stubs, channel, args.files, args.region, args.date)
    failed = 0
    for ack in acks:
        status = enum_name(stubs.ingestion_pb2.IngestStatus, ack.status)
        print("%-40s %-24s %s %s seq=%d %s" % (
            ack.client_reference, status, ack.document_id or "-",
            ack.region_code or "-", ack.sequence, ack.reason))
        failed += ack.status == stubs.ingestion_pb2.INGEST_STATUS_REJECTED
    return 1 if failed else 0


def cmd_indicators(stubs, channel, args):
    kinds = stubs.resources_pb2.IndicatorKind
    for i in list_indicators(stubs, channel, args.region, args.from_date,
                             args.to_date, args.name):
        print("%s\t%s\t%s\t%s\t%g\t%s" % (i.region_code, i.date or "-", i.name,
                                       enum_name(kinds, i.kind), i.value, i.unit))
    return 0


def cmd_follow(stubs, channel, args):
    for e in follow(stubs, channel, args.start, args.count, timeout=args.timeout):
        print("%d\t%s\t%s\t%s" % (e.sequence,
                                  enum_name(stubs.subscription_pb2.EventType, e.type),
                                  e.document.id, e.document.title))
    return 0


def cmd_standard(stubs, channel, args):
    status = check_health(stubs, channel)
    print("health:", status)
    services = list_services(stubs, channel)
    print("services:", " ".join(services))
    if status != "SERVING":
        raise CheckFailed("health is %s, not SERVING" % status)
    want = {"grpc.health.v1.Health", "yingshang.v1.IngestionService",
            "yingshang.v1.QueryService", "yingshang.v1.SubscriptionService",
            "yingshang.v1.AdminService"}
    missing = want - set(services)
    if missing:
        raise CheckFailed("reflection does not list " + ", ".join(sorted(missing)))
    name = file_of_symbol(stubs, channel, "yingshang.v1.QueryService")
    print("yingshang.v1.QueryService is defined in", name)
    if name != "yingshang/v1/query.proto":
        raise CheckFailed("QueryService comes from %r" % name)
    return 0


def cmd_demo(stubs, channel, args):
    ing = stubs.ingestion_pb2
    files = sorted(os.path.join(args.samples, f) for f in os.listdir(args.samples)
                   if f.endswith((".txt", ".html")))
    if len(files) < 4:
        raise CheckFailed("need at least 4 sample documents in " + args.samples)
    half = len(files) // 2

    # 1. Ingest the first half.
    acks = ingest(stubs, channel, files[:half])
    for ack in acks:
        print("ingested %s: %s seq=%d region=%s" % (
            ack.client_reference, enum_name(ing.IngestStatus, ack.status),
            ack.sequence, ack.region_code))
    if len(acks) != half or any(a.status == ing.INGEST_STATUS_REJECTED for a in acks):
        raise CheckFailed("first ingest: %s" % acks)
    sequences = {a.sequence for a in acks if a.sequence}

    # 2. Follow from the start; read two events and disconnect.
    first = follow(stubs, channel, start_sequence=1, count=2)
    print("first session:", [e.sequence for e in first])

    # 3. While disconnected, the rest is ingested.
    more = ingest(stubs, channel, files[half:])
    if any(a.status == ing.INGEST_STATUS_REJECTED for a in more):
        raise CheckFailed("second ingest: %s" % more)
    sequences |= {a.sequence for a in more if a.sequence}
    latest = max(sequences)

    # 4. Resume from last + 1 and read up to the latest sequence.
    resume_from = first[-1].sequence + 1
    second = follow(stubs, channel, start_sequence=resume_from,
                    count=latest - first[-1].sequence)
    print("resumed from %d:" % resume_from, [e.sequence for e in second])
    seen = [e.sequence for e in first + second]
    if seen != list(range(1, latest + 1)):
        raise CheckFailed("events have gaps or repeats: %s (expected 1..%d)" % (seen, latest))
    if not sequences <= set(seen):
        raise CheckFailed("acknowledged sequences %s not all delivered" % sorted(sequences))
    by_seq = {e.sequence: e.document.id for e in first + second}
    for a in acks + more:
        if a.sequence and by_seq[a.sequence] != a.document_id:
            raise CheckFailed("event %d is document %s, ack said %s" % (
                a.sequence, by_seq[a.sequence], a.document_id))

    # 5. Indicators of one region over a date range.
    region_ack = next((a for a in acks + more if a.region_code and a.published_date
                       and a.indicator_count > 0), None)
    if region_ack is None:
        raise CheckFailed("no sample has a region, a date and indicators")
    region, date = region_ack.region_code, region_ack.published_date
    year = date[:4]
    indicators = list_indicators(stubs, channel, region, year + "-01-01", year + "-12-31")
    print("%d indicators for region %s in %s, e.g. %s" % (
        len(indicators), region, year,
        ", ".join("%s=%g%s" % (i.name, i.value, i.unit) for i in indicators[:3])))
    if len(indicators) < region_ack.indicator_count:
        raise CheckFailed("expected at least %d indicators" % region_ack.indicator_count)
    prefix = region
    while prefix.endswith("00"):
        prefix = prefix[:-2]
    for i in indicators:
        if not i.region_code.startswith(prefix) or not (
                year + "-01-01" <= i.date <= year + "-12-31"):
            raise CheckFailed("indicator outside the filter: %s" % i)
    none = list_indicators(stubs, channel, region, "1990-01-01", "1990-12-31")
    if none:
        raise CheckFailed("1990 should have no indicators, got %d" % len(none))

    # 6. The standard endpoints.
    cmd_standard(stubs, channel, args)
    print("demo: OK")
    return 0


def main(argv):
    parser = argparse.ArgumentParser(
        description="yingshang Python client example (stubs generated at start-up).")
    parser.add_argument("--server", default="127.0.0.1:50051", help="host:port")
    parser.add_argument("--proto-dir", default=DEFAULT_PROTO_DIR,
                        help="folder holding yingshang/v1/*.proto (default: the repo's proto/)")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("ingest", help="ingest files")
    p.add_argument("files", nargs="+")
    p.add_argument("--region", help="GB/T 2260 code hint")
    p.add_argument("--date", help="YYYY-MM-DD hint")
    p = sub.add_parser("indicators", help="list indicators of a region")
    p.add_argument("--region", required=True)
    p.add_argument("--from", dest="from_date", default="")
    p.add_argument("--to", dest="to_date", default="")
    p.add_argument("--name", default="", help="name contains")
    p = sub.add_parser("follow", help="print change events")
    p.add_argument("--start", type=int, default=1, help="first sequence (0: from now on)")
    p.add_argument("--count", type=int, default=10)
    p.add_argument("--timeout", type=float, default=60)
    sub.add_parser("standard", help="health and reflection")
    p = sub.add_parser("demo", help="the checked walk-through the tests run")
    p.add_argument("samples", help="folder of sample documents")
    args = parser.parse_args(argv)

    out_dir = tempfile.mkdtemp(prefix="ys_py_stubs_")
    try:
        stubs = generate_stubs(out_dir, args.proto_dir)
        with grpc.insecure_channel(args.server) as channel:
            grpc.channel_ready_future(channel).result(timeout=30)
            command = {"ingest": cmd_ingest, "indicators": cmd_indicators,
                       "follow": cmd_follow, "standard": cmd_standard,
                       "demo": cmd_demo}[args.command]
            return command(stubs, channel, args)
    except CheckFailed as e:
        print("FAILED:", e, file=sys.stderr)
        return 1
    except grpc.RpcError as e:
        print("RPC failed: %s: %s" % (e.code().name, e.details()), file=sys.stderr)
        return 1
    except grpc.FutureTimeoutError:
        print("cannot connect to %s within 30 s" % args.server, file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(out_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
