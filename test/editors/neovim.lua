-- Drives Neovim's own LSP client (0.7 API: vim.lsp.start_client, buf_attach_client, request_sync)
-- against the Kube Traffic server on a copy of examples/, and writes what it saw as JSON for
-- test/editors/neovim.test.ts to assert on. Input (JSON file named by $KT_IN): see that test.
-- Nothing here decides pass or fail, except that a step which times out is reported as an error.

local input = vim.fn.json_decode(table.concat(vim.fn.readfile(os.getenv('KT_IN')), '\n'))
local out_file = os.getenv('KT_OUT')
local root = input.root
local TIMEOUT = 10000

local results = { registrations = {}, messages = {}, notifications = {}, steps = {} }
local diagnostics = {} -- uri -> LSP diagnostics, as published

local function write_results()
  vim.fn.writefile({ vim.fn.json_encode(results) }, out_file)
end

local function uri(rel) return vim.uri_from_fname(root .. '/' .. rel) end

local function wait_for(what, cond)
  if not vim.wait(TIMEOUT, cond, 20) then error('timed out waiting for ' .. what, 0) end
end

local function codes(uri_)
  local out = {}
  for _, d in ipairs(diagnostics[uri_] or {}) do table.insert(out, d.code) end
  return out
end

local function has_code(uri_, code)
  return vim.tbl_contains(codes(uri_), code)
end

-- What Neovim itself tells the user (e.g. "Language server does not support command …").
vim.notify = function(msg) table.insert(results.notifications, tostring(msg)) end

local function main()
  local capabilities = vim.lsp.protocol.make_client_capabilities()
  -- Neovim 0.7 answers workspace/configuration but does not announce it (≥ 0.8 does); announce it,
  -- so the server pulls the settings below, and would (wrongly) register for their changes.
  capabilities.workspace.configuration = true

  local client_id = vim.lsp.start_client({
    name = 'kube-traffic',
    cmd = { input.node, input.server, '--stdio' },
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = 'examples' } },
    capabilities = capabilities,
    settings = { kubeTraffic = { severity = { ['node-port-conflict'] = 'hint' } } },
    handlers = {
      ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
        diagnostics[result.uri] = result.diagnostics
        return vim.lsp.handlers['textDocument/publishDiagnostics'](err, result, ctx, config)
      end,
      ['window/showMessage'] = function(_, result)
        table.insert(results.messages, result.message)
      end,
      ['client/registerCapability'] = function(_, result)
        for _, r in ipairs(result.registrations) do table.insert(results.registrations, r.method) end
        return vim.NIL
      end,
    },
    on_exit = function(code) results.server_exit_code = code end,
  })
  if not client_id then error('vim.lsp.start_client failed', 0) end
  local client = vim.lsp.get_client_by_id(client_id)
  wait_for('initialize', function() return client.initialized end)
  results.execute_commands = (client.server_capabilities.executeCommandProvider or {}).commands or vim.NIL

  local function open(rel)
    vim.cmd('edit ' .. vim.fn.fnameescape(root .. '/' .. rel))
    vim.bo.filetype = 'yaml'
    local bufnr = vim.api.nvim_get_current_buf()
    vim.lsp.buf_attach_client(bufnr, client_id)
    return bufnr
  end

  local function request(method, params, bufnr)
    local res, err = client.request_sync(method, params, TIMEOUT, bufnr)
    if not res then error(method .. ': ' .. tostring(err), 0) end
    if res.err then error(method .. ': ' .. vim.inspect(res.err), 0) end
    return res.result
  end

  local function position_params(target)
    return { textDocument = { uri = uri(target.file) }, position = { line = target.line, character = target.character } }
  end

  local front = open(input.open)

  -- Diagnostics of files no buffer shows, published after the workspace is indexed.
  for _, w in ipairs(input.wait_unopened) do
    wait_for(w.file .. ' ' .. w.code, function() return has_code(uri(w.file), w.code) end)
  end
  results.unopened = {}
  for u, list in pairs(diagnostics) do
    local simple = {}
    for _, d in ipairs(list) do
      table.insert(simple, { code = d.code, severity = d.severity, line = d.range.start.line, message = d.message })
    end
    results.unopened[u] = simple
  end
  results.buffers_before_fix = {}
  for _, b in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(b) then table.insert(results.buffers_before_fix, vim.api.nvim_buf_get_name(b)) end
  end

  local hover = request('textDocument/hover', position_params(input.hover), front)
  results.hover = hover and hover.contents or vim.NIL
  table.insert(results.steps, 'hover')

  local ing = open(input.definition.file)
  results.definition = request('textDocument/definition', position_params(input.definition), ing) or vim.NIL
  table.insert(results.steps, 'definition')

  local ref = position_params(input.references)
  ref.context = { includeDeclaration = false }
  results.references = request('textDocument/references', ref, ing) or vim.NIL
  table.insert(results.steps, 'references')

  -- The quick fix for one planted finding, applied by Neovim to the buffer (not saved).
  local fix_buf = open(input.quickfix.file)
  local fix_uri = uri(input.quickfix.file)
  local diag
  for _, d in ipairs(diagnostics[fix_uri] or {}) do
    if d.code == input.quickfix.code then diag = d end
  end
  if not diag then error('no ' .. input.quickfix.code .. ' diagnostic in ' .. input.quickfix.file, 0) end
  local actions = request('textDocument/codeAction', {
    textDocument = { uri = fix_uri }, range = diag.range, context = { diagnostics = { diag } },
  }, fix_buf) or {}
  results.code_actions = actions
  local fix = actions[1]
  if fix and fix.edit then
    vim.lsp.util.apply_workspace_edit(fix.edit, client.offset_encoding)
    results.fixed_line = vim.api.nvim_buf_get_lines(fix_buf, input.quickfix.line, input.quickfix.line + 1, false)[1]
    -- Neovim sends the edit as textDocument/didChange; the finding must go away.
    results.fix_cleared = vim.wait(TIMEOUT, function() return not has_code(fix_uri, input.quickfix.code) end, 20)
    results.codes_after_fix = codes(fix_uri)
  end
  table.insert(results.steps, 'quickfix')

  -- Code lenses through Neovim's own code lens module: fetched, displayed as virtual text, run.
  local ns = vim.api.nvim_create_namespace('vim_lsp_codelens:' .. client_id)
  results.lens_runs = {}
  for _, want in ipairs(input.lens_runs) do
    local bufnr = want.file == input.open and front or open(want.file)
    vim.api.nvim_set_current_buf(bufnr)
    vim.lsp.codelens.refresh()
    wait_for('code lenses of ' .. want.file, function() return #vim.lsp.codelens.get(bufnr) > 0 end)
    local run = { file = want.file, lenses = vim.lsp.codelens.get(bufnr), shown = {} }
    table.insert(results.lens_runs, run)
    for _, m in ipairs(vim.api.nvim_buf_get_extmarks(bufnr, ns, 0, -1, { details = true })) do
      local text = {}
      for _, chunk in ipairs(m[4].virt_text or {}) do table.insert(text, chunk[1]) end
      table.insert(run.shown, { line = m[2], text = table.concat(text) })
    end
    local line
    for _, l in ipairs(run.lenses) do
      if l.command and l.command.title == want.title then line = l.range.start.line end
    end
    if not line then error(want.file .. ': no code lens titled ' .. want.title, 0) end
    local messages_before = #results.messages
    vim.api.nvim_win_set_cursor(0, { line + 1, 0 })
    vim.lsp.codelens.run()
    -- No error on a timeout: the test then shows the lenses and what Neovim said (notifications).
    vim.wait(TIMEOUT, function() return #results.messages > messages_before end, 20)
    run.message = results.messages[messages_before + 1] or vim.NIL
  end
  table.insert(results.steps, 'codelens')

  vim.lsp.stop_client(client_id)
  vim.wait(3000, function() return results.server_exit_code ~= nil end, 20)
end

local ok, err = xpcall(main, debug.traceback)
if not ok then results.error = tostring(err) end
write_results()
vim.cmd(ok and 'qall!' or 'cquit 1')
