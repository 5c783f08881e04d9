-- wrk's summary as one JSON object (latencies in ms), for benchmarks/bench_desk.py.
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"p50": %.3f, "p95": %.3f, "p99": %.3f, "requests": %d, "seconds": %.3f, "errors": %d}\n',
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.duration / 1e6,
    errors.connect + errors.read + errors.write + errors.status + errors.timeout))
end
