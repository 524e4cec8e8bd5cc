"""A Python gRPC client, generated from the same proto, checks that the
service's code-point offsets slice Python strings exactly (and the byte
offsets the UTF-8 encoding). Run by TestPythonClientOffsets.

usage: offsets_client.py STUBS_DIR ADDRESS
"""
import sys

sys.path.insert(0, sys.argv[1])
import grpc  # noqa: E402
from stance.v1 import stance_pb2, stance_pb2_grpc  # noqa: E402

TEXT = (
    "قال المتحدث 🇺🇸 إن واشنطن «لا تنسق» مع روسيا عملياتها في سوريا. "
    "ورحّبت مـوسكو بالعرض 𝔸𝔹 الأمريكي، لكنها اشترطت وقف الغارات.\n"
    "وأسفرت الغارات عن مقتل ٢٠ مدنيا."
)


def check(offsets, text, what):
    got = TEXT[offsets.start_code_point:offsets.end_code_point]
    if got != text:
        sys.exit(f"{what}: code points give {got!r}, want {text!r}")
    raw = TEXT.encode("utf-8")[offsets.start_byte:offsets.end_byte].decode("utf-8")
    if raw != text:
        sys.exit(f"{what}: bytes give {raw!r}, want {text!r}")
    units = TEXT.encode("utf-16-le")[2 * offsets.start_utf16:2 * offsets.end_utf16].decode("utf-16-le")
    if units != text:
        sys.exit(f"{what}: UTF-16 units give {units!r}, want {text!r}")


def main():
    with grpc.insecure_channel(sys.argv[2]) as channel:
        stub = stance_pb2_grpc.StanceServiceStub(channel)
        resp = stub.Classify(stance_pb2.ClassifyRequest(text=TEXT), timeout=30)
        sentences = resp.result.sentences
        if len(sentences) != 3:
            sys.exit(f"got {len(sentences)} sentences, want 3")
        spans = 0
        for s in sentences:
            check(s.offsets, s.text, f"sentence {s.index}")
            for e in list(s.stance_evidence) + list(s.sentiment_evidence):
                check(e.offsets, e.text, f"evidence of sentence {s.index}")
                spans += 1
        print(f"ok: {len(sentences)} sentences, {spans} evidence spans")


main()
