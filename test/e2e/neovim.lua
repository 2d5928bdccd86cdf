-- Headless Neovim (0.7+, Debian 12's 0.7.2) against the stdio server: proof that helm-values works beyond VS Code,
-- set up exactly as README.md tells a user: the ```lua block under "## Other editors" is read from README.md and run,
-- then values-prod.yaml is opened, so a snippet that does not start or attach the client fails here.
-- Run by test/e2e/neovim.sh, which puts a `helm-values-language-server` on PATH that runs this checkout's dist/server.js.
-- Env: HELM_VALUES_ROOT (repository), HELM_VALUES_E2E_IN_PROGRESS (features still stubs: their empty answers count as
-- skipped), LSP_TIMEOUT_MS.
-- Prints one line per check, `E2E_RESULT {...}` and a closing `N passed, N failed` line; exits 0 when nothing failed.
local root = os.getenv('HELM_VALUES_ROOT')
local timeout = tonumber(os.getenv('LSP_TIMEOUT_MS') or '20000')
local in_progress = ',' .. (os.getenv('HELM_VALUES_E2E_IN_PROGRESS') or '') .. ','
local chart = root .. '/examples/webapp'
local file = chart .. '/values-prod.yaml'

local results = { passed = 0, failed = 0, skipped = 0 }
local function out(s) io.stdout:write(s .. '\n') end
local function check(name, ok, detail)
  if ok == nil then
    results.skipped = results.skipped + 1
    out('  - ' .. name .. ' (skipped: ' .. (detail or '') .. ')')
  elseif ok then
    results.passed = results.passed + 1
    out('  ✓ ' .. name .. (detail and (': ' .. detail) or ''))
  else
    results.failed = results.failed + 1
    out('  ✗ ' .. name .. (detail and (': ' .. detail) or ''))
  end
end
--- A feature that answered nothing: skipped while it is listed as in progress, failed otherwise.
local function missing(feature)
  if in_progress:find(',' .. feature .. ',', 1, true) then return nil end
  return false
end
local function finish()
  out('E2E_RESULT ' .. vim.fn.json_encode(results))
  if os.getenv('E2E_AGGREGATED') == nil then
    out(string.format('%d passed, %d failed%s', results.passed, results.failed, results.skipped > 0 and (', ' .. results.skipped .. ' skipped') or ''))
  end
  vim.cmd(results.failed == 0 and 'qa!' or 'cquit 1')
end

--- The README's Neovim snippet: the first ```lua block after the "## Other editors" heading.
local function readme_snippet()
  local lines = vim.fn.readfile(root .. '/README.md')
  local section, inside, code = false, false, {}
  for _, line in ipairs(lines) do
    if line:match('^## ') then section = line == '## Other editors' end
    if section and inside and line:match('^```') then return table.concat(code, '\n') end
    if inside then table.insert(code, line) end
    if section and line == '```lua' then inside = true end
  end
  return nil
end

local snippet = readme_snippet()
if not snippet then
  check('README.md has a ```lua block under "## Other editors"', false)
  finish()
end
local chunk, err = loadstring(snippet, 'README.md snippet')
local ok, run_err = chunk ~= nil and pcall(chunk)
check('the README snippet runs', ok, err or run_err)
if not ok then finish() end

vim.cmd('edit ' .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
local v = vim.version()
out(string.format('nvim %d.%d.%d, filetype=%s, server: %s', v.major, v.minor, v.patch, vim.bo[buf].filetype, vim.fn.exepath('helm-values-language-server')))

-- The snippet's client, attached to the buffer by the snippet itself.
local client
vim.wait(timeout, function()
  for _, c in pairs(vim.lsp.buf_get_clients(buf)) do
    if c.name == 'helm-values' then client = c end
  end
  return client ~= nil and (client.initialized or vim.lsp.get_client_by_id(client.id) == nil)
end, 20)
check('the README snippet attaches a helm-values client to values-prod.yaml', client ~= nil)
if not client then finish() end
local client_id = client.id
local function exited() return vim.lsp.get_client_by_id(client_id) == nil end
check('server initializes', client.initialized and not exited(), exited() and 'the server exited' or nil)
if exited() then finish() end
check('client root is the chart', client.config.root_dir == vim.fn.fnamemodify(chart, ':p:h'), client.config.root_dir)

-- Diagnostics: the YAML 1.1 booleans of values-prod.yaml.
local function code_of(d) return d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) end
local function booleans()
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if code_of(d) == 'helm.yaml11-boolean' then table.insert(found, d) end
  end
  return found
end
vim.wait(timeout, function() return #booleans() >= 2 or exited() end, 20)
local found = booleans()
local where = {}
for _, d in ipairs(found) do table.insert(where, string.format('%d:%d %s', d.lnum + 1, d.col + 1, d.message:sub(1, 40))) end
check('diagnostics: helm.yaml11-boolean on "yes" and "NO"', #found == 2, table.concat(where, ' | '))

-- The first line of a text that contains `needle`, for reporting.
local function line_with(text, needle)
  for line in (text .. '\n'):gmatch('(.-)\n') do
    if line:find(needle, 1, true) then return line end
  end
  return text:sub(1, 80)
end

-- A request on the buffer; returns the first client's result (nil when none).
local function request(method, params)
  local responses = vim.lsp.buf_request_sync(buf, method, params, timeout)
  for _, r in pairs(responses or {}) do
    if r.result ~= nil and r.result ~= vim.NIL then return r.result end
  end
  return nil
end
local uri = vim.uri_from_bufnr(buf)
local tag_line
for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
  if line:find('^%s+tag:') then tag_line = i - 1 break end
end

-- Hover on `image.tag`.
local hover = request('textDocument/hover', { textDocument = { uri = uri }, position = { line = tag_line, character = 3 } })
local md = hover and hover.contents and (hover.contents.value or hover.contents) or nil
if type(md) ~= 'string' or md == '' then
  check('hover on image.tag', missing('hover'), 'no hover')
else
  check('hover on image.tag names the winning layer', md:find('values-prod.yaml:4', 1, true) ~= nil, line_with(md, 'values-prod.yaml:4'))
end

-- Inlay hints (0.7 has no display for them, but the request is plain LSP).
local hints = request('textDocument/inlayHint', { textDocument = { uri = uri }, range = { start = { line = 0, character = 0 }, ['end'] = { line = 40, character = 0 } } })
if not hints or #hints == 0 then
  check('inlay hints', missing('inlayHints'), 'no hints')
else
  local on_tag
  for _, h in ipairs(hints) do
    if h.position.line == tag_line then on_tag = type(h.label) == 'string' and h.label or vim.fn.json_encode(h.label) end
  end
  check('inlay hint on image.tag', on_tag ~= nil and on_tag:find('values.yaml', 1, true) ~= nil, on_tag or (#hints .. ' hints, none on image.tag'))
end

-- A custom request of the wire contract, from a client that knows nothing of VS Code.
local info = request('helmValues/chartInfo', { uri = uri })
local names = {}
for _, e in ipairs(info and info.environments or {}) do table.insert(names, e.name) end
check('helmValues/chartInfo lists the environments', info ~= nil and info.name == 'webapp' and vim.tbl_contains(names, 'prod'), table.concat(names, ', '))

vim.lsp.stop_client(client_id)
vim.wait(3000, exited, 20)
finish()
