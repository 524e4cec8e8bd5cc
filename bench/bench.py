"""The benchmark suite behind every figure in the README, in one run.

Run it from the repository root with Debian's Python (it needs python3-sklearn):

    /usr/bin/python3 bench/bench.py [--quick] [--no-readme]

It measures, on this machine:
  quality   our model, scikit-learn TF-IDF + logistic regression and fastText,
            all trained on testdata/corpus, on the seed articles and the
            challenge set (stance and sentiment macro-F1; ours also ECE,
            evidence token-F1 and holders);
  model     the Go benchmarks of model/ on one core (sentences/s, allocs,
            load time, heap) and `stance train` (time, peak memory);
  scoring   `stance score` in process on a 100,000-sentence file against the
            single-core rate times the cores, and `fasttext predict` on the
            same sentences; peak memory on 10 MB and 1 GB inputs;
  serving   a bounded ghz load (pinned below) against `stance serve` on
            loopback, the server's load and streaming benchmarks, live heap
            across reloads, and a soak (TestSoak) of 10 minutes.

It writes bench/results.json and bench/RESULTS.md, and copies the Markdown
between the bench markers of README.md. --quick skips the 1 GB input and
the soak and shortens the Go benchmarks; --no-readme leaves README.md alone.
"""
import argparse
import datetime
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import statistics
import tempfile
import time

GHZ = "github.com/bojand/ghz/cmd/ghz@v0.120.0"
NEWS_SENTENCE = ("وقال المتحدث باسم وزارة الدفاع الأمريكية إن واشنطن لن تنسق عسكريا مع موسكو في سوريا "
                 "ما لم تتوقف الغارات الروسية على مواقع المعارضة المعتدلة في ريف حلب.")
README_START = "<!-- bench:start -->"
README_END = "<!-- bench:end -->"


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def run(cmd, **kw):
    """Runs cmd, failing loudly with its output when it fails. Output is
    captured unless kw redirects stdout."""
    kw.setdefault("stdout", subprocess.PIPE)
    p = subprocess.run(cmd, stderr=subprocess.PIPE, text=True, **kw)
    if p.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd)} failed ({p.returncode}):\n{(p.stdout or '')[-3000:]}\n{p.stderr[-3000:]}")
    return p


def timed(cmd, **kw):
    """Runs cmd under /usr/bin/time; returns (process, seconds, peak RSS in MB)."""
    p = run(["/usr/bin/time", "-f", "TIME %e %M"] + cmd, **kw)
    m = re.findall(r"TIME ([0-9.]+) ([0-9]+)", p.stderr)[-1]
    return p, float(m[0]), int(m[1]) / 1024


def go_bench(pkg, pattern, extra):
    """Runs Go benchmarks; returns {name: [{unit: value}, ...]} over -count runs."""
    out = run(["go", "test", pkg, "-run", "XXX", "-bench", pattern] + extra).stdout
    res = {}
    for line in out.splitlines():
        if not line.startswith("Benchmark"):
            continue
        fields = line.split()
        name = re.sub(r"-\d+$", "", fields[0])
        vals = {fields[i + 1]: float(fields[i]) for i in range(2, len(fields) - 1, 2)}
        res.setdefault(name, []).append(vals)
    return res


def machine():
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = 0
    try:
        with open("/proc/meminfo") as f:
            mem = int(f.readline().split()[1]) / 1024 / 1024
    except OSError:
        pass
    gov = run(["go", "version"]).stdout.split()[2]
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(mem, 1), "os": platform.platform(), "go": gov}


def quality(work, stance):
    log("quality: exporting the corpus, seeds and challenge set")
    run([stance, "corpus", "export", "testdata/corpus"], stdout=open(f"{work}/train.jsonl", "w"))
    run([stance, "corpus", "export", "testdata/seeds.standoff.jsonl"], stdout=open(f"{work}/seeds.jsonl", "w"))
    shutil.copy("testdata/challenge.jsonl", f"{work}/challenge.jsonl")
    log("quality: training and scoring scikit-learn and fastText")
    peers = json.loads(run(["/usr/bin/python3", "bench/peers.py", work]).stdout)
    res = {}
    for s in ("seeds", "challenge"):
        ours = json.loads(run([stance, "eval", "--format", "json", "--data", f"{work}/{s}.jsonl"]).stdout)
        res[s] = {
            "stance": {"stance": ours["stance"]["macro_f1"], "sentiment": ours["sentiment"]["macro_f1"],
                       "stance_ece": ours["stance"]["ece"], "evidence": ours["evidence"]["token_f1"],
                       "evidence_right": right_label_evidence(stance, f"{work}/{s}.jsonl"),
                       "holder": ours.get("holder")},
            "sklearn": {"stance": peers[f"sklearn/{s}/stance"], "sentiment": peers[f"sklearn/{s}/sentiment"]},
            "fasttext": {"stance": peers[f"fasttext/{s}/stance"], "sentiment": peers[f"fasttext/{s}/sentiment"]},
        }
    return res


def right_label_evidence(stance, path):
    """Evidence token-F1 over the sentences whose stance was predicted right,
    from the text output of stance eval (the JSON keys are fixed by issue #3)."""
    out = run([stance, "eval", "--data", path]).stdout
    m = re.search(r"; ([0-9.]+) over the (\d+) of them whose stance was predicted right", out)
    return {"token_f1": float(m.group(1)), "n": int(m.group(2))} if m else None


def model_benchmarks(quick):
    log("model: Go benchmarks on one core")
    count = "1" if quick else "3"
    b = go_bench("./model", ".", ["-cpu", "1", "-benchtime", "1s" if quick else "3s", "-count", count])
    pick = lambda name, unit: [r[unit] for r in b.get(name, []) if unit in r]
    return {
        "classify_sentences_per_s": pick("BenchmarkClassify", "sentences/s"),
        "classify_allocs_per_doc": pick("BenchmarkClassify", "allocs/op"),
        "no_evidence_sentences_per_s": pick("BenchmarkClassifyNoEvidence", "sentences/s"),
        "holders_sentences_per_s": pick("BenchmarkClassifyHolders", "sentences/s"),
        "holders_slower_pct": pick("BenchmarkHolderOverhead", "holders-slower-%"),
        "holders_slower_seeds_pct": pick("BenchmarkHolderOverheadSeeds", "holders-slower-%"),
        "load_ms": [v / 1e6 for v in pick("BenchmarkLoadDefault", "ns/op")],
        "heap_mb": pick("BenchmarkHeapDefault", "heap-MB"),
    }


def train(work, stance):
    log("model: stance train on the full corpus")
    _, secs, rss = timed([stance, "train", "--data", "testdata/corpus", "--out", f"{work}/trained.model", "--quiet"])
    return {"seconds": secs, "peak_rss_mb": rss}


def scoring(work, stance, rate1, quick):
    cores = os.cpu_count()
    log("scoring: a 100,000-sentence input")
    run(["/usr/bin/python3", "bench/make_input.py", "100000"], stdout=open(f"{work}/100k.jsonl", "w"))
    # Without holders, as the single-core rate it is compared with.
    p, secs, rss = timed([stance, "score", "--workers", str(cores), "--no-holders", "--progress", "never",
                          "--out", f"{work}/out.jsonl", f"{work}/100k.jsonl"])
    m = re.search(r"\((\d+) sentences/s\)", p.stderr)
    score_rate = float(m.group(1)) if m else 100000 / secs
    res = {"cores": cores, "score_sentences_per_s": score_rate, "single_core_rate": rate1,
           "share_of_cores_x_single": score_rate / (rate1 * cores)}

    log("scoring: fastText predict on the same sentences")
    with open(f"{work}/ft.train", "w", encoding="utf-8") as f:
        for line in open(f"{work}/train.jsonl", encoding="utf-8"):
            r = json.loads(line)
            f.write(f"__label__{r['stance']} " + r["text"].replace("\n", " ") + "\n")
    with open(f"{work}/ft.input", "w", encoding="utf-8") as f:
        for line in open(f"{work}/100k.jsonl", encoding="utf-8"):
            f.write(json.loads(line)["text"] + "\n")  # one sentence a line, as stance scores them
    run(["fasttext", "supervised", "-input", f"{work}/ft.train", "-output", f"{work}/ft",
         "-epoch", "25", "-wordNgrams", "2", "-verbose", "0"])
    t0 = time.monotonic()
    run(["fasttext", "predict", f"{work}/ft.bin", f"{work}/ft.input"], stdout=subprocess.DEVNULL)
    ft = 100000 / (time.monotonic() - t0)
    res["fasttext_sentences_per_s"] = ft
    res["score_over_fasttext"] = score_rate / ft

    # The 10 MB run's peak moves by 15 % between runs (80-94 MB at the same
    # commit), with where the collector happens to run: it takes the median
    # of three. The 1 GB run reaches its steady state and runs once.
    sizes = [("10 MB", 10_000_000, 3)] + ([] if quick else [("1 GB", 1_000_000_000, 1)])
    res["memory"] = []
    for label, size, runs in sizes:
        log(f"scoring: peak memory on {label} of input")
        path = f"{work}/mem.jsonl"
        run(["/usr/bin/python3", "bench/make_input.py", "--bytes", str(size)], stdout=open(path, "w"))
        peaks, secs = [], 0.0
        for _ in range(runs):
            _, secs, rss = timed([stance, "score", "--no-evidence", "--progress", "never", path], stdout=subprocess.DEVNULL)
            peaks.append(rss)
        res["memory"].append({"input": label, "seconds": secs, "peak_rss_mb": statistics.median(peaks), "runs_mb": peaks})
        os.remove(path)
    return res


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serving(work, stance, quick):
    port = free_port()
    addr = f"127.0.0.1:{port}"
    log(f"serving: stance serve on {addr}")
    srv = subprocess.Popen([stance, "serve", "--listen", addr, "--log-level", "error"],
                           stdout=subprocess.DEVNULL, stderr=open(f"{work}/serve.log", "w"))
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or srv.poll() is not None:
                    sys.exit(f"bench: stance serve did not start; see {work}/serve.log")
                time.sleep(0.2)
        calls = 5000 if quick else 20000
        log(f"serving: ghz, {calls} Classify calls from 16 concurrent callers")
        # ghz is built from its pinned version the first time; the build is
        # not part of the measurement.
        p = run(["go", "run", GHZ, "--insecure", "--call", "stance.v1.StanceService/Classify",
                 "-d", json.dumps({"text": NEWS_SENTENCE}, ensure_ascii=False),
                 "-c", "16", "-n", str(calls), "--connections", "2", "--format", "json", addr])
        g = json.loads(p.stdout)
        lat = {d["percentage"]: d["latency"] / 1e6 for d in g.get("latencyDistribution") or []}
        codes = g.get("statusCodeDistribution") or {}
        res = {"calls": g["count"], "callers": 16, "rps": g["rps"],
               "p50_ms": lat.get(50), "p95_ms": lat.get(95), "p99_ms": lat.get(99),
               "errors": sum(v for k, v in codes.items() if k != "OK")}
    finally:
        srv.terminate()
        srv.wait(timeout=30)
    log("serving: live heap across 50 reloads")
    out = run(["go", "test", "./server", "-run", "TestReloadsDoNotGrowMemory", "-v", "-count", "1"]).stdout
    m = re.search(r"after the first reload ([0-9.]+) MB, after the 50th ([0-9.]+) MB", out)
    res["reload_heap_mb"] = [float(m.group(1)), float(m.group(2))] if m else None
    log("serving: the Go load benchmark and streaming against in-process classification")
    b = go_bench("./server", "UnaryLoad|StreamVersusInProcess", ["-benchtime", "2000x" if quick else "20000x", "-count", "1"])
    r = b["BenchmarkStreamVersusInProcess"][0]
    res["stream_pct_of_in_process"] = r["stream-%-of-in-process"]
    res["stream_sentences_per_s"] = r["stream-sentences/s"]
    u = b["BenchmarkUnaryLoad"][0]
    res["go_load"] = {"p50_ms": u["p50-ms"], "p95_ms": u["p95-ms"], "p99_ms": u["p99-ms"], "rps": u["calls/s"], "errors": u["errors"]}
    if not quick:
        log("serving: soak, 10 minutes")
        out = run(["go", "test", "./server", "-run", "TestSoak", "-soak", "10m", "-v", "-count", "1", "-timeout", "30m"]).stdout
        m = re.search(r"(\d+) calls from 50 callers, 0 errors; (\d+) reloads, (\d+) truncated files refused; "
                      r"live heap ([0-9.]+) MB before, ([0-9.]+) MB after", out)
        if not m:
            sys.exit(f"bench: cannot read the soak's result:\n{out[-2000:]}")
        res["soak"] = {"minutes": 10, "calls": int(m.group(1)), "reloads": int(m.group(2)), "refused": int(m.group(3)),
                       "heap_before_mb": float(m.group(4)), "heap_after_mb": float(m.group(5))}
    return res


def fmt_runs(vals, f="{:,.0f}"):
    return " / ".join(f.format(v) for v in vals) if vals else "–"


def verdict(ok, target):
    """A target cell: the target and whether this run met it."""
    return f"{target}: met" if ok else f"{target}: **missed**"


def median(vals):
    return sorted(vals)[len(vals) // 2] if vals else float("nan")


def markdown(r):
    q, mb, tr, sc, sv, mc = r["quality"], r["model"], r["train"], r["scoring"], r["serving"], r["machine"]
    out = [f"Measured {r['date']} by `make bench` (`bench/bench.py`, {r['minutes']} minutes"
           f"{', --quick' if r['quick'] else ''}) on {mc['cpu']}, {mc['cores']} cores, "
           f"{mc['memory_gib']} GiB, {mc['go']}. Targets are the issues'; a row with several runs is judged on "
           "their median.", ""]
    out += ["**Quality**, all three trained on `testdata/corpus` only, scored on data they never saw "
            "(scikit-learn: TF-IDF word 1–2-grams and character 2–5-grams, balanced logistic regression, C=10; "
            "fastText: 25 epochs, word bigrams, character 2–5-grams):", "",
            "| data | model | stance macro-F1 | sentiment macro-F1 | stance ECE | evidence token-F1 | evidence, right stance |",
            "|---|---|---|---|---|---|---|"]
    for s, name in (("seeds", "seed articles (93 real sentences)"), ("challenge", "challenge set (350)")):
        o = q[s]["stance"]
        er = o.get("evidence_right")
        ers = f"{er['token_f1']:.3f} (n={er['n']})" if er else "–"
        out.append(f"| {name} | stance | {o['stance']:.3f} | {o['sentiment']:.3f} | {o['stance_ece']:.3f} | {o['evidence']:.3f} | {ers} |")
        for peer in ("sklearn", "fasttext"):
            p = q[s][peer]
            out.append(f"| {name} | {'scikit-learn' if peer == 'sklearn' else 'fastText'} | {p['stance']:.3f} | {p['sentiment']:.3f} | – | – | – |")
    sd, ch = q["seeds"]["stance"], q["challenge"]["stance"]
    out += ["", "| target (issue #3) | measured | verdict |", "|---|---|---|",
            f"| seed stance macro-F1 | {sd['stance']:.3f} | {verdict(sd['stance'] >= 0.75, '≥ 0.75')} |",
            f"| seed sentiment macro-F1 | {sd['sentiment']:.3f} | {verdict(sd['sentiment'] >= 0.70, '≥ 0.70')} |",
            f"| seed evidence token-F1 | {sd['evidence']:.3f} | {verdict(sd['evidence'] >= 0.50, '≥ 0.50')} |",
            f"| seed stance ECE | {sd['stance_ece']:.3f} | {verdict(sd['stance_ece'] <= 0.05, '≤ 0.05')} |",
            f"| challenge stance macro-F1 | {ch['stance']:.3f} | {verdict(ch['stance'] >= 0.80, '≥ 0.80')} |"]
    h = sd.get("holder")
    if h:
        out += [f"| seed holder exact match (#6, {h['n']} sentences) | {h['exact']:.3f} | {verdict(h['exact'] >= 0.80, '≥ 0.80')} |",
                f"| seed holder token-overlap F1 (#6) | {h['overlap_f1']:.3f} | {verdict(h['overlap_f1'] >= 0.90, '≥ 0.90')} |",
                f"| seed canonical actor accuracy (#6) | {h['actor_accuracy']:.3f} | {verdict(h['actor_accuracy'] >= 0.85, '≥ 0.85')} |"]
    rate = median(mb["classify_sentences_per_s"])
    # The two rates above come from benchmarks run minutes apart, which the
    # machine's drifting load skews; BenchmarkHolderOverhead times both on
    # the same documents in turn.
    slower = median(mb["holders_slower_pct"])
    out += ["", "**Speed and size** (Go benchmarks of `model/`, one core, ten-sentence documents of news-length "
                "sentences; each run listed):", "",
            "| measure | runs | target |", "|---|---|---|",
            f"| segmentation + both heads + evidence, sentences/s | {fmt_runs(mb['classify_sentences_per_s'])} | {verdict(rate >= 30000, '≥ 30,000')} |",
            f"| allocations per ten-sentence document | {fmt_runs(mb['classify_allocs_per_doc'])} | none per feature (they are per word) |",
            f"| the same without evidence, sentences/s | {fmt_runs(mb['no_evidence_sentences_per_s'])} | – |",
            f"| the same with holders, sentences/s | {fmt_runs(mb['holders_sentences_per_s'])} | – |",
            f"| time added by holders, each document classified both ways in turn, % | {fmt_runs(mb['holders_slower_pct'], '{:.1f}')} | {verdict(slower <= 10, '≤ 10 % (#6)')} |",
            f"| the same on the five seed articles (real reporting: most sentences take no stance, and only those that do are searched), % "
            f"| {fmt_runs(mb['holders_slower_seeds_pct'], '{:.1f}')} | {verdict(median(mb['holders_slower_seeds_pct']) <= 10, '≤ 10 % (#6) on real reporting')} |",
            f"| load the embedded model, ms | {fmt_runs(mb['load_ms'], '{:.1f}')} | {verdict(median(mb['load_ms']) <= 50, '≤ 50 ms')} |",
            f"| live heap of the loaded model, MB | {fmt_runs(mb['heap_mb'], '{:.1f}')} | {verdict(median(mb['heap_mb']) <= 50, '≤ 50 MB')} |",
            f"| `stance train` on the full corpus, search included | {tr['seconds']:.1f} s, {tr['peak_rss_mb']:.0f} MB peak RSS | {verdict(tr['seconds'] < 60, '< 60 s')} |"]
    share = sc["share_of_cores_x_single"]
    out += ["", "**Batch scoring** (100,000 sentences in ten-sentence JSON Lines documents cycled from `testdata/`):", "",
            "| measure | figure | target |", "|---|---|---|",
            f"| `stance score --no-holders`, in process, {sc['cores']} workers | {sc['score_sentences_per_s']:,.0f} sentences/s = "
            f"{100 * share:.0f} % of {sc['cores']} × the median single-core rate ({sc['single_core_rate']:,.0f}) | {verdict(share >= 0.80, '≥ 80 %')} |",
            f"| `fasttext predict`, same sentences, one thread | {sc['fasttext_sentences_per_s']:,.0f} sentences/s; "
            f"stance score / fastText = {sc['score_over_fasttext']:.2f} | report the ratio |"]
    for m in sc["memory"]:
        runs = m.get("runs_mb", [m["peak_rss_mb"]])
        each = f", median of {' / '.join(f'{r:.1f}' for r in runs)}" if len(runs) > 1 else ""
        out.append(f"| peak RSS, `stance score --no-evidence` on {m['input']} of input | {m['peak_rss_mb']:.1f} MB ({m['seconds']:.1f} s{each}) | – |")
    if len(sc["memory"]) == 2:
        a, b = sc["memory"][0]["peak_rss_mb"], sc["memory"][1]["peak_rss_mb"]
        out.append(f"| memory growth from 10 MB to 1 GB of input | {100 * (b - a) / a:+.0f} % | {verdict(abs(b - a) / a <= 0.10, 'within ±10 %')} |")
    out += ["", f"**Serving** (`stance serve` on loopback with the embedded model; ghz {GHZ.split('@')[1]} sends "
                f"{sv['calls']:,} one-sentence `Classify` calls from {sv['callers']} concurrent callers; the load "
                "generator runs on the same cores as the server):", "",
            "| measure | figure | target |", "|---|---|---|",
            f"| ghz: latency p50 / p95 / p99 | {sv['p50_ms']:.2f} / {sv['p95_ms']:.2f} / {sv['p99_ms']:.2f} ms | {verdict(sv['p99_ms'] <= 2, 'p99 ≤ 2 ms')} |",
            f"| ghz: throughput, errors | {sv['rps']:,.0f} calls/s, {sv['errors']} errors | {verdict(sv['errors'] == 0, 'zero errors')} |",
            f"| the same load from the Go benchmark (`BenchmarkUnaryLoad`: 16 callers, a lighter client in the server's process): p50 / p95 / p99 | "
            f"{sv['go_load']['p50_ms']:.2f} / {sv['go_load']['p95_ms']:.2f} / {sv['go_load']['p99_ms']:.2f} ms, {sv['go_load']['rps']:,.0f} calls/s, "
            f"{sv['go_load']['errors']:.0f} errors | {verdict(sv['go_load']['p99_ms'] <= 2, 'p99 ≤ 2 ms')} |",
            f"| `ClassifyStream` (ten-sentence documents, one stream per core) against in-process | "
            f"{sv['stream_pct_of_in_process']:.0f} % ({sv['stream_sentences_per_s']:,.0f} sentences/s) | {verdict(sv['stream_pct_of_in_process'] >= 60, '≥ 60 %')} |"]
    if sv.get("soak"):
        k = sv["soak"]
        out.append(f"| soak: {k['minutes']} min of all five RPCs from 50 callers, reloading a good and a truncated model "
                   f"file in turn | {k['calls']:,} calls, 0 errors; {k['reloads']} reloads, {k['refused']} truncated files refused; "
                   f"live heap {k['heap_before_mb']:.1f} → {k['heap_after_mb']:.1f} MB | "
                   f"{verdict(k['heap_after_mb'] <= 1.1 * k['heap_before_mb'], 'zero errors, flat memory')} |")
    if sv.get("reload_heap_mb"):
        a, b = sv["reload_heap_mb"]
        out.append(f"| live heap after the 1st and the 50th reload | {a:.1f} / {b:.1f} MB | {verdict(abs(b - a) <= 0.1 * a, 'within 10 %')} |")
    return "\n".join(out) + "\n"


def update_readme(md):
    with open("README.md", encoding="utf-8") as f:
        text = f.read()
    if README_START not in text or README_END not in text:
        sys.exit("bench: README.md has no bench markers")
    head, rest = text.split(README_START, 1)
    _, tail = rest.split(README_END, 1)
    with open("README.md", "w", encoding="utf-8") as f:
        f.write(head + README_START + "\n" + md + README_END + tail)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="skip the 1 GB input, shorter Go benchmarks")
    ap.add_argument("--no-readme", action="store_true", help="do not update README.md")
    args = ap.parse_args()
    if not os.path.exists("go.mod"):
        sys.exit("bench: run from the repository root")
    for tool in ("fasttext", "go"):
        if shutil.which(tool) is None:
            sys.exit(f"bench: {tool} is not installed (apt-get install fasttext; Go 1.26)")
    work = tempfile.mkdtemp(prefix="stance-bench-")
    try:
        stance = f"{work}/stance"
        run(["go", "build", "-o", stance, "./cmd/stance"])
        started = time.monotonic()
        r = {"date": datetime.date.today().isoformat(), "machine": machine(), "quick": args.quick}
        r["quality"] = quality(work, stance)
        r["model"] = model_benchmarks(args.quick)
        r["train"] = train(work, stance)
        rates = r["model"]["classify_sentences_per_s"]
        r["scoring"] = scoring(work, stance, sorted(rates)[len(rates) // 2], args.quick)
        r["serving"] = serving(work, stance, args.quick)
        r["minutes"] = round((time.monotonic() - started) / 60, 1)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    with open("bench/results.json", "w") as f:
        json.dump(r, f, indent=2)
        f.write("\n")
    md = markdown(r)
    with open("bench/RESULTS.md", "w", encoding="utf-8") as f:
        f.write("# Benchmark results\n\n" + md)
    if not args.no_readme:
        update_readme(md)
    print(md)


if __name__ == "__main__":
    main()
