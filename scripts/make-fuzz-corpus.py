#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora under fuzz/corpus/<target>/ from the project's
samples and test data (and, for the wire formats, a few replies in each provider's
documented shape). Rerun after adding test data; the output is committed.

    scripts/make-fuzz-corpus.py
"""
import hashlib
import json
import pathlib
import shutil
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fuzz" / "corpus"
SAMPLES = ROOT / "tests" / "data" / "samples"
PART_SEPARATOR = b"\n--part--\n"


def write(target, data, name=None):
    if isinstance(data, str):
        data = data.encode()
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    name = name or hashlib.sha1(data).hexdigest()[:16]
    (folder / name).write_bytes(data)


def answer_positions():
    for case in sorted((ROOT / "tests/data/answer_position").glob("*.json")):
        write("answer_position", json.loads(case.read_text())["input"], case.stem)
    for task in json.loads((SAMPLES / "spreadsheetbench/dataset.json").read_text()):
        write("answer_position", task["answer_position"], "sample_" + str(task["id"]))


def skill_files():
    found = sorted((ROOT / "tests/data/lint").rglob("SKILL.md"))
    found += sorted((ROOT / "examples").rglob("SKILL.md")) + sorted((ROOT / "demo").rglob("SKILL.md"))
    found += sorted((ROOT / "tests/data/e2e").rglob("SKILL*.md"))
    for path in found:
        write("skill_md", path.read_bytes(), str(path.relative_to(ROOT)).replace("/", "_"))


def scenarios():
    for path in sorted((ROOT / "tests/data/e2e/scenarios").glob("*.json")):
        write("scenario", path.read_bytes(), "e2e_" + path.name)
    for path in sorted((ROOT / "tests/data/mock").iterdir()):
        write("scenario", path.read_bytes(), "mock_" + path.name)


def momentum_records():
    for path in sorted((ROOT / "tests/data/momentum").glob("*.json")):
        case = json.loads(path.read_text())
        for key in ("previous", "submission", "record", "expected"):
            if isinstance(case.get(key), (dict, list)):
                write("momentum_record", json.dumps(case[key], indent=1), f"{path.stem}_{key}")


def xlsx_files():
    books = sorted(SAMPLES.rglob("*.xlsx"), key=lambda p: p.stat().st_size)[:6]
    for book in books:
        write("xlsx_zip", book.read_bytes(), book.name)
        with zipfile.ZipFile(book) as archive:
            parts = []
            for info in archive.infolist():
                if info.filename.endswith((".xml", ".rels")) and info.file_size < 64 * 1024:
                    parts.append(info.filename.encode() + b"\n" + archive.read(info))
        write("xlsx_parts", PART_SEPARATOR.join(parts), book.stem + ".parts")


def sse(events):
    return "".join((f"event: {name}\n" if name else "") + f"data: {data}\n\n" for name, data in events)


OPENAI_TEXT = {"id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "gpt-4o-mini",
               "choices": [{"index": 0, "finish_reason": "stop",
                            "message": {"role": "assistant", "content": "The answer is 42."}}],
               "usage": {"prompt_tokens": 12, "completion_tokens": 6, "total_tokens": 18}}
OPENAI_TOOLS = {"id": "chatcmpl-2", "object": "chat.completion", "created": 1, "model": "gpt-4o-mini",
                "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {
                    "role": "assistant", "content": None, "tool_calls": [
                        {"id": "call_1", "type": "function",
                         "function": {"name": "python", "arguments": "{\"code\": \"print(1)\"}"}}]}}],
                "usage": {"prompt_tokens": 30, "completion_tokens": 9, "total_tokens": 39,
                          "prompt_tokens_details": {"cached_tokens": 10}}}
ANTHROPIC_TEXT = {"id": "msg_1", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
                  "content": [{"type": "text", "text": "Done."}], "stop_reason": "end_turn",
                  "usage": {"input_tokens": 20, "output_tokens": 3}}
ANTHROPIC_TOOLS = {"id": "msg_2", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
                   "content": [{"type": "text", "text": "Let me look."},
                               {"type": "tool_use", "id": "toolu_1", "name": "read_file",
                                "input": {"path": "data.csv"}}],
                   "stop_reason": "tool_use",
                   "usage": {"input_tokens": 50, "output_tokens": 12, "cache_read_input_tokens": 8}}


def openai_stream(tools):
    chunk = {"id": "chatcmpl-3", "object": "chat.completion.chunk", "created": 1, "model": "gpt-4o-mini"}
    events = [json.dumps({**chunk, "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}}]})]
    if tools:
        events.append(json.dumps({**chunk, "choices": [{"index": 0, "delta": {"tool_calls": [
            {"index": 0, "id": "call_9", "type": "function",
             "function": {"name": "shell", "arguments": "{\"comm"}}]}}]}))
        events.append(json.dumps({**chunk, "choices": [{"index": 0, "delta": {"tool_calls": [
            {"index": 0, "function": {"arguments": "and\": \"ls\"}"}}]}}]}))
        finish = "tool_calls"
    else:
        events += [json.dumps({**chunk, "choices": [{"index": 0, "delta": {"content": piece}}]})
                   for piece in ("Hel", "lo ", "world")]
        finish = "stop"
    events.append(json.dumps({**chunk, "choices": [{"index": 0, "delta": {}, "finish_reason": finish}]}))
    events.append(json.dumps({**chunk, "choices": [], "usage": {"prompt_tokens": 5, "completion_tokens": 3}}))
    events.append("[DONE]")
    return sse([(None, e) for e in events])


def anthropic_stream(tools):
    events = [("message_start", {"type": "message_start", "message": {
        "id": "msg_3", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5", "content": [],
        "stop_reason": None, "usage": {"input_tokens": 25, "output_tokens": 1}}}),
        ("ping", {"type": "ping"})]
    if tools:
        events += [("content_block_start", {"type": "content_block_start", "index": 0, "content_block": {
            "type": "tool_use", "id": "toolu_2", "name": "python", "input": {}}}),
            ("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": {
                "type": "input_json_delta", "partial_json": "{\"code\": \"pri"}}),
            ("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": {
                "type": "input_json_delta", "partial_json": "nt(2)\"}"}})]
        stop = "tool_use"
    else:
        events += [("content_block_start", {"type": "content_block_start", "index": 0,
                                            "content_block": {"type": "text", "text": ""}}),
                   ("content_block_delta", {"type": "content_block_delta", "index": 0,
                                            "delta": {"type": "text_delta", "text": "Hi there"}})]
        stop = "end_turn"
    events += [("content_block_stop", {"type": "content_block_stop", "index": 0}),
               ("message_delta", {"type": "message_delta", "delta": {"stop_reason": stop},
                                  "usage": {"output_tokens": 15}}),
               ("message_stop", {"type": "message_stop"})]
    return sse([(name, json.dumps(body)) for name, body in events])


def wire_formats():
    # provider_response: first byte bit 0 = anthropic, bit 1 = streamed.
    write("provider_response", b"\x00" + json.dumps(OPENAI_TEXT).encode(), "openai_text")
    write("provider_response", b"\x00" + json.dumps(OPENAI_TOOLS).encode(), "openai_tools")
    write("provider_response", b"\x00" + b'{"error": {"message": "Rate limit", "type": "rate_limit"}}',
          "openai_error")
    write("provider_response", b"\x01" + json.dumps(ANTHROPIC_TEXT).encode(), "anthropic_text")
    write("provider_response", b"\x01" + json.dumps(ANTHROPIC_TOOLS).encode(), "anthropic_tools")
    write("provider_response", b"\x01" + b'{"type": "error", "error": {"type": "overloaded_error", '
          b'"message": "Overloaded"}}', "anthropic_error")
    for tools in (False, True):
        suffix = "tools" if tools else "text"
        write("provider_response", b"\x02" + openai_stream(tools).encode(), "openai_stream_" + suffix)
        write("provider_response", b"\x03" + anthropic_stream(tools).encode(), "anthropic_stream_" + suffix)
        write("sse_stream", b"\x07" + openai_stream(tools).encode(), "openai_" + suffix)
        write("sse_stream", b"\x2a" + anthropic_stream(tools).encode().replace(b"\n", b"\r\n"),
              "anthropic_crlf_" + suffix)
    write("sse_stream", b"\x01: comment\nid: 7\nretry: 100\ndata: a\ndata: b\n\nevent: x\ndata\n\n",
          "fields")


# Requests in each API's documented shape, as a client under test sends them to the mock.
OPENAI_REQUEST = {
    "model": "gpt-4o-mini", "stream": True, "stream_options": {"include_usage": True},
    "temperature": 0.2,
    "messages": [
        {"role": "system", "content": "You are an executor."},
        {"role": "user", "content": [{"type": "text", "text": "Solve task 12."}]},
        {"role": "assistant", "content": None, "tool_calls": [
            {"id": "call_1", "type": "function",
             "function": {"name": "bash", "arguments": "{\"command\": \"ls\"}"}}]},
        {"role": "tool", "tool_call_id": "call_1", "content": "input.xlsx"},
    ],
    "tools": [{"type": "function", "function": {
        "name": "bash", "description": "Run a command",
        "parameters": {"type": "object", "properties": {"command": {"type": "string"}}}}}],
}
ANTHROPIC_REQUEST = {
    "model": "claude-sonnet-4-5", "max_tokens": 1024, "system": "You are an executor.",
    "messages": [
        {"role": "user", "content": "Solve task 12."},
        {"role": "assistant", "content": [
            {"type": "text", "text": "Listing files."},
            {"type": "tool_use", "id": "toolu_1", "name": "bash", "input": {"command": "ls"}}]},
        {"role": "user", "content": [
            {"type": "tool_result", "tool_use_id": "toolu_1", "is_error": False,
             "content": [{"type": "text", "text": "input.xlsx"}]}]},
    ],
    "tools": [{"name": "bash", "description": "Run a command",
               "input_schema": {"type": "object", "properties": {"command": {"type": "string"}}}}],
}


def wire_requests():
    # wire_request: first byte bit 0 = anthropic.
    write("wire_request", b"\x00" + json.dumps(OPENAI_REQUEST).encode(), "openai_tools")
    write("wire_request", b"\x01" + json.dumps(ANTHROPIC_REQUEST).encode(), "anthropic_tools")


def main():
    shutil.rmtree(CORPUS, ignore_errors=True)
    answer_positions()
    skill_files()
    scenarios()
    momentum_records()
    xlsx_files()
    wire_formats()
    wire_requests()
    for folder in sorted(CORPUS.iterdir()):
        print(f"{folder.name}: {len(list(folder.iterdir()))} seeds")


if __name__ == "__main__":
    main()
