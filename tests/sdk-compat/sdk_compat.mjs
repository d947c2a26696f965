// Drives the official OpenAI and Anthropic Node SDKs against `skillgrad mock-llm`: if the
// SDKs parse the mock's replies (text, tool calls, usage, streams, errors), tests of the
// project's own client against the mock are meaningful.
//
//   node sdk_compat.mjs [path/to/skillgrad]    (default: $SKILLGRAD_BIN, then ../../build/skillgrad)
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

const here = dirname(fileURLToPath(import.meta.url));
const sourceDir = process.env.SKILLGRAD_SOURCE_DIR || join(here, '..', '..');
const binary = process.argv[2] || process.env.SKILLGRAD_BIN || join(sourceDir, 'build', 'skillgrad');
const scenario = join(sourceDir, 'tests', 'data', 'mock', 'tool-loop.json');

if (!existsSync(join(here, 'node_modules', 'openai')) ||
    !existsSync(join(here, 'node_modules', '@anthropic-ai', 'sdk'))) {
  console.error(`sdk-compat: the SDKs are not installed in ${here}/node_modules; ` +
                'run scripts/install-deps.sh (it runs `npm ci` there)');
  process.exit(1);
}
if (!existsSync(binary)) {
  console.error(`sdk-compat: no skillgrad binary at ${binary}; build it or pass its path`);
  process.exit(1);
}

const { default: OpenAI } = await import('openai');
const { default: Anthropic } = await import('@anthropic-ai/sdk');

const watchdog = setTimeout(() => {
  console.error('sdk-compat: timed out after 90 s');
  process.exit(1);
}, 90_000);

// Starts the mock and resolves with its URL, read from the first line of stdout.
function startMock() {
  const child = spawn(binary, ['mock-llm', '--scenario', scenario, '--port', '0'],
                      { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (chunk) => {
      buffered += chunk.toString();
      const newline = buffered.indexOf('\n');
      if (newline >= 0) resolve(buffered.slice(0, newline).trim());
    });
    child.on('exit', (code) => reject(new Error(`mock-llm exited early with code ${code}`)));
    child.on('error', reject);
  });
  return { child, url };
}

const tools = {
  openai: [{ type: 'function', function: { name: 'get_weather', description: 'Current weather',
             parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }],
  anthropic: [{ name: 'get_weather', description: 'Current weather',
                input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }],
};

let passed = 0;
async function check(name, fn) {
  await fn();
  passed += 1;
  console.log(`ok - ${name}`);
}

function checkOpenAiToolTurn(completion, city) {
  const choice = completion.choices[0];
  assert.equal(choice.finish_reason, 'tool_calls');
  assert.equal(choice.message.content, 'Let me look that up.');
  assert.equal(choice.message.tool_calls.length, 1);
  const call = choice.message.tool_calls[0];
  assert.equal(call.type, 'function');
  assert.equal(call.function.name, 'get_weather');
  assert.deepEqual(JSON.parse(call.function.arguments), { city, unit: 'celsius' });
  assert.ok(call.id);
  assert.equal(completion.usage.prompt_tokens, 50);
  assert.equal(completion.usage.completion_tokens, 20);
  assert.equal(completion.usage.total_tokens, 70);
  assert.equal(completion.usage.prompt_tokens_details.cached_tokens, 10);
  assert.equal(completion.usage.completion_tokens_details.reasoning_tokens, 5);
  return call;
}

function checkAnthropicToolTurn(message, city) {
  assert.equal(message.type, 'message');
  assert.equal(message.role, 'assistant');
  assert.equal(message.stop_reason, 'tool_use');
  assert.equal(message.content.length, 2);
  assert.equal(message.content[0].type, 'text');
  assert.equal(message.content[0].text, 'Let me look that up.');
  const use = message.content[1];
  assert.equal(use.type, 'tool_use');
  assert.equal(use.name, 'get_weather');
  assert.deepEqual(use.input, { city, unit: 'celsius' });
  assert.equal(message.usage.input_tokens, 40);  // 50 prompt tokens, 10 of them cache reads
  assert.equal(message.usage.cache_read_input_tokens, 10);
  assert.equal(message.usage.output_tokens, 20);
  return use;
}

const { child, url } = startMock();
const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
let failure = null;
try {
  const baseUrl = await url;
  assert.match(baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
  const openai = new OpenAI({ apiKey: 'sk-mock', baseURL: `${baseUrl}/v1`, maxRetries: 0, timeout: 20_000 });
  const anthropic = new Anthropic({ apiKey: 'sk-ant-mock', baseURL: baseUrl, maxRetries: 0, timeout: 20_000 });

  await check('openai: non-streamed tool call, then the answer from the tool result', async () => {
    const messages = [{ role: 'user', content: 'What is the weather in Paris?' }];
    const first = await openai.chat.completions.create({ model: 'mock-gpt', messages, tools: tools.openai });
    const call = checkOpenAiToolTurn(first, 'Paris');
    messages.push(first.choices[0].message);
    messages.push({ role: 'tool', tool_call_id: call.id, content: '{"temperature": "18 degrees"}' });
    const second = await openai.chat.completions.create({ model: 'mock-gpt', messages, tools: tools.openai });
    assert.equal(second.choices[0].finish_reason, 'stop');
    assert.equal(second.choices[0].message.content, 'It is 18 degrees right now.');
    assert.equal(second.choices[0].message.tool_calls, undefined);
    assert.equal(second.usage.prompt_tokens, 80);
    assert.equal(second.model, 'mock-gpt');
  });

  await check('openai: streamed chunks with tool-call deltas and a final usage chunk', async () => {
    const stream = await openai.chat.completions.create({
      model: 'mock-gpt', messages: [{ role: 'user', content: 'Tell me the weather in Lima' }],
      tools: tools.openai, stream: true, stream_options: { include_usage: true } });
    let text = '';
    let args = '';
    let name = '';
    let finish = null;
    let usage = null;
    let chunks = 0;
    for await (const chunk of stream) {
      chunks += 1;
      if (chunk.usage) usage = chunk.usage;
      const choice = chunk.choices[0];
      if (!choice) continue;
      text += choice.delta.content ?? '';
      for (const tc of choice.delta.tool_calls ?? []) {
        if (tc.function?.name) name = tc.function.name;
        args += tc.function?.arguments ?? '';
      }
      if (choice.finish_reason) finish = choice.finish_reason;
    }
    assert.ok(chunks > 4, `expected several chunks, got ${chunks}`);
    assert.equal(text, 'Let me look that up.');
    assert.equal(name, 'get_weather');
    assert.deepEqual(JSON.parse(args), { city: 'Lima', unit: 'celsius' });
    assert.equal(finish, 'tool_calls');
    assert.equal(usage.prompt_tokens, 50);
    assert.equal(usage.prompt_tokens_details.cached_tokens, 10);
  });

  await check('openai: the SDK stream helper assembles the same completion', async () => {
    const stream = openai.chat.completions.stream({
      model: 'mock-gpt', messages: [{ role: 'user', content: 'And the weather in Cairo?' }],
      tools: tools.openai, stream_options: { include_usage: true } });
    const completion = await stream.finalChatCompletion();
    checkOpenAiToolTurn(completion, 'Cairo');
  });

  await check('openai: an unmatched request is a BadRequestError naming the request', async () => {
    await assert.rejects(
      openai.chat.completions.create({ model: 'mock-gpt', messages: [{ role: 'user', content: 'Sing a song' }] }),
      (err) => {
        assert.ok(err instanceof OpenAI.BadRequestError, `got ${err?.constructor?.name}: ${err}`);
        assert.equal(err.status, 400);
        assert.match(err.message, /no rule/);
        assert.match(err.message, /Sing a song/);
        assert.match(err.requestID ?? '', /^req_mock_/);
        return true;
      });
  });

  await check('anthropic: non-streamed tool_use, then the answer from the tool_result', async () => {
    const messages = [{ role: 'user', content: 'What is the weather in Rome?' }];
    const first = await anthropic.messages.create({
      model: 'mock-claude', max_tokens: 256, system: 'You answer weather questions.',
      messages, tools: tools.anthropic });
    const use = checkAnthropicToolTurn(first, 'Rome');
    messages.push({ role: 'assistant', content: first.content });
    messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: '21 degrees and sunny' }] });
    const second = await anthropic.messages.create({
      model: 'mock-claude', max_tokens: 256, messages, tools: tools.anthropic });
    assert.equal(second.stop_reason, 'end_turn');
    assert.deepEqual(second.content, [{ type: 'text', text: 'It is 21 degrees right now.' }]);
    assert.equal(second.usage.input_tokens, 80);
    assert.equal(second.usage.output_tokens, 9);
  });

  await check('anthropic: streamed events with input_json_delta, assembled by the SDK', async () => {
    const stream = anthropic.messages.stream({
      model: 'mock-claude', max_tokens: 256,
      messages: [{ role: 'user', content: 'How is the weather in Oslo today?' }], tools: tools.anthropic });
    const events = [];
    let streamedText = '';
    stream.on('streamEvent', (event) => events.push(event.type));
    stream.on('text', (delta) => { streamedText += delta; });
    const message = await stream.finalMessage();
    checkAnthropicToolTurn(message, 'Oslo');
    assert.equal(streamedText, 'Let me look that up.');
    assert.equal(events[0], 'message_start');
    assert.ok(events.includes('content_block_delta'));
    assert.equal(events.at(-2), 'message_delta');
    assert.equal(events.at(-1), 'message_stop');
  });

  await check('anthropic: an unmatched request is a BadRequestError naming the request', async () => {
    await assert.rejects(
      anthropic.messages.create({ model: 'mock-claude', max_tokens: 16, messages: [{ role: 'user', content: 'Sing a song' }] }),
      (err) => {
        assert.ok(err instanceof Anthropic.BadRequestError, `got ${err?.constructor?.name}: ${err}`);
        assert.equal(err.status, 400);
        assert.match(err.message, /no rule/);
        assert.match(err.requestID ?? '', /^req_mock_/);
        return true;
      });
  });

  await check('models list parses in both SDKs', async () => {
    const models = [];
    for await (const m of openai.models.list()) models.push(m.id);
    assert.deepEqual(models, ['mock-gpt', 'mock-claude']);
    const anthropicModels = [];
    for await (const m of anthropic.models.list()) anthropicModels.push(m.id);
    assert.deepEqual(anthropicModels, ['mock-gpt', 'mock-claude']);
  });
} catch (err) {
  failure = err;
} finally {
  child.kill('SIGTERM');
}
const { code, signal } = await exited;
clearTimeout(watchdog);
if (failure) {
  console.error(`not ok - ${failure.stack || failure}`);
  process.exit(1);
}
if (code !== 0) {
  console.error(`not ok - mock-llm exited with code ${code} (signal ${signal}) on SIGTERM; expected 0`);
  process.exit(1);
}
const version = (pkg) => JSON.parse(readFileSync(join(here, 'node_modules', pkg, 'package.json'), 'utf8')).version;
console.log(`sdk-compat: ${passed} checks passed (openai ${version('openai')}, ` +
            `@anthropic-ai/sdk ${version('@anthropic-ai/sdk')}); mock-llm exited 0 on SIGTERM`);
