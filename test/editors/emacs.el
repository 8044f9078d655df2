;;; emacs.el --- drives Debian's Eglot against the Kube Traffic server  -*- lexical-binding: t -*-
;;
;; Run by test/editors/emacs.test.ts: `emacs --batch -Q -l emacs.el` with $KT_IN naming a JSON
;; input file (see that test) and $KT_OUT the JSON file to write what Eglot saw.  Nothing here
;; decides pass or fail, except that a step which times out is reported as an error.

(require 'json)
(require 'package)
;; -Q skips Debian's site-start, which activates the elpa-* packages: do the same here.
(setq package-directory-list '("/usr/share/emacs/site-lisp/elpa")
      package-user-dir (expand-file-name "elpa" (getenv "HOME")))
(package-initialize)
(require 'eglot)
(require 'xref)

(defvar kt-input (json-read-file (getenv "KT_IN")))
(defun kt-in (key) (cdr (assq key kt-input)))
(defvar kt-root (kt-in 'root))
(defvar kt-timeout 10)

(defvar kt-results nil "Alist of what was seen, written as JSON.")
(defun kt-put (key value) (setf (alist-get key kt-results) value))
(defvar kt-published (make-hash-table :test #'equal) "URI → its last published diagnostics.")
(defun kt-codes (uri) (mapcar (lambda (d) (plist-get d :code)) (gethash uri kt-published)))
(defvar kt-messages nil "window/showMessage texts, newest first.")
(defvar kt-warnings nil "Eglot's warnings (e.g. \"Server tried to register unsupported capability\").")
(defvar kt-registrations nil "Methods the server registered dynamically.")
(defvar kt-steps nil)

(define-derived-mode kt-yaml-mode text-mode "YAML" "Major mode for the test's manifests.")
(add-to-list 'auto-mode-alist '("\\.ya?ml\\'" . kt-yaml-mode))
(setq project-find-functions (list (lambda (_dir) (cons 'transient kt-root))))
(setq-default eglot-workspace-configuration '(:kubeTraffic (:severity (:node-port-conflict "hint"))))
(setq eglot-autoshutdown nil
      make-backup-files nil
      create-lockfiles nil)

(advice-add 'eglot-handle-notification :before
            (lambda (_server method &rest params)
              (pcase method
                ('textDocument/publishDiagnostics
                 (puthash (plist-get params :uri) (append (plist-get params :diagnostics) nil) kt-published))
                ('window/showMessage (push (plist-get params :message) kt-messages)))))
(advice-add 'eglot--warn :before
            (lambda (format &rest args) (push (apply #'format format args) kt-warnings)))
(advice-add 'eglot-register-capability :before
            (lambda (_server method &rest _) (push (symbol-name method) kt-registrations)))

(defun kt-wait (what pred)
  (let ((end (+ (float-time) kt-timeout)))
    (while (not (funcall pred))
      (when (> (float-time) end) (error "timed out waiting for %s" what))
      (accept-process-output nil 0.02))))

(defun kt-uri (rel) (eglot--path-to-uri (expand-file-name rel kt-root)))

(defun kt-visit (rel)
  "Visit REL in the kt-yaml-mode buffer Eglot manages; return the buffer."
  (let ((buf (find-file-noselect (expand-file-name rel kt-root))))
    (with-current-buffer buf
      (kt-wait (format "Eglot to manage %s" rel) (lambda () (eglot-current-server))))
    buf))

(defun kt-goto (spec)
  "Move point to the 0-based line and UTF-16 character of SPEC (ASCII lines only)."
  (goto-char (point-min))
  (forward-line (cdr (assq 'line spec)))
  (forward-char (cdr (assq 'character spec))))

(defun kt-xref-items (items)
  (vconcat (mapcar (lambda (item)
                     (let ((loc (xref-item-location item)))
                       `((file . ,(file-relative-name (xref-location-group loc) kt-root))
                         (line . ,(xref-location-line loc)))))
                   items)))

(defun kt-flymake-diag (code)
  "The Flymake diagnostic of the current buffer that Eglot made from an LSP diagnostic with CODE."
  (cl-find-if (lambda (d) (equal (plist-get (cdr (assoc 'eglot-lsp-diag (eglot--diag-data d))) :code) code))
              (flymake-diagnostics)))

(defun kt-main ()
  (let* ((front (find-file-noselect (expand-file-name (kt-in 'open) kt-root)))
         server)
    (with-current-buffer front
      (eglot '(kt-yaml-mode) (cons 'transient kt-root) 'eglot-lsp-server
             (list (kt-in 'node) (kt-in 'server) "--stdio") "yaml")
      (kt-wait "the connection" (lambda () (eglot-current-server)))
      (setq server (eglot-current-server)))
    (kt-put 'server_name (plist-get (eglot--server-info server) :name))
    ;; Diagnostics of files no buffer visits.
    (dolist (w (append (kt-in 'wait_unopened) nil))
      (let ((uri (kt-uri (cdr (assq 'file w)))) (code (cdr (assq 'code w))))
        (kt-wait (format "%s in %s" code uri) (lambda () (member code (kt-codes uri))))))
    (let (unopened)
      (maphash (lambda (uri diags)
                 (push (cons (file-relative-name (eglot--uri-to-path uri) kt-root)
                             (vconcat (mapcar (lambda (d) (vector (plist-get d :code) (plist-get d :severity))) diags)))
                       unopened))
               kt-published)
      (kt-put 'unopened unopened))
    (kt-put 'visited (vconcat (delq nil (mapcar (lambda (b) (and (buffer-file-name b) (file-relative-name (buffer-file-name b) kt-root))) (buffer-list)))))

    ;; Hover, through the request Eglot's eldoc support sends.
    (with-current-buffer front
      (kt-goto (kt-in 'hover))
      (let ((h (jsonrpc-request server :textDocument/hover (eglot--TextDocumentPositionParams))))
        (kt-put 'hover (plist-get (plist-get h :contents) :value))))
    (push "hover" kt-steps)

    ;; Definition and references through Eglot's xref backend (M-. and M-?).
    (let ((spec (kt-in 'definition)))
      (with-current-buffer (kt-visit (cdr (assq 'file spec)))
        (kt-goto spec)
        (let ((id (xref-backend-identifier-at-point 'eglot)))
          (kt-put 'definition (kt-xref-items (xref-backend-definitions 'eglot id))))))
    (push "definition" kt-steps)
    (let ((spec (kt-in 'references)))
      (with-current-buffer (kt-visit (cdr (assq 'file spec)))
        (kt-goto spec)
        (let ((id (xref-backend-identifier-at-point 'eglot)))
          (kt-put 'references (kt-xref-items (xref-backend-references 'eglot id))))))
    (push "references" kt-steps)

    ;; The quick fix: Flymake holds the diagnostics, eglot-code-actions asks for the fixes of
    ;; those in the region, and Eglot applies the chosen one to the buffer.
    (let* ((spec (kt-in 'quickfix)) (code (cdr (assq 'code spec)))
           (buf (kt-visit (cdr (assq 'file spec)))))
      (with-current-buffer buf
        (flymake-start)
        (kt-wait "Flymake diagnostics" (lambda () (kt-flymake-diag code)))
        (let* ((diag (kt-flymake-diag code))
               (actions (eglot-code-actions (flymake-diagnostic-beg diag) (flymake-diagnostic-end diag) "quickfix")))
          (kt-put 'code_actions (vconcat (mapcar (lambda (a) (plist-get a :title)) actions)))
          (when actions
            (eglot--apply-workspace-edit (plist-get (car actions) :edit))
            (kt-put 'fixed_line (save-excursion
                                  (goto-char (point-min))
                                  (forward-line (cdr (assq 'line spec)))
                                  (buffer-substring-no-properties (line-beginning-position) (line-end-position))))
            (eglot--signal-textDocument/didChange)
            (let ((uri (kt-uri (cdr (assq 'file spec)))))
              (kt-put 'fix_cleared
                      (condition-case nil
                          (progn (kt-wait "the fix to clear the finding" (lambda () (not (member code (kt-codes uri))))) t)
                        (error :json-false)))
              (kt-put 'codes_after_fix (vconcat (kt-codes uri))))))))
    (push "quickfix" kt-steps)

    ;; Eglot 1.9 shows no code lenses; run one the way it runs a command (eglot-execute-command).
    (let* ((spec (kt-in 'lens)) (uri (kt-uri (cdr (assq 'file spec))))
           (lenses (jsonrpc-request server :textDocument/codeLens `(:textDocument (:uri ,uri))))
           (lens (cl-find-if (lambda (l) (equal (plist-get (plist-get l :command) :title) (cdr (assq 'title spec)))) lenses))
           (before (length kt-messages)))
      (kt-put 'lens_commands (vconcat (mapcar (lambda (l) (or (plist-get (plist-get l :command) :command) "")) lenses)))
      (unless lens (error "no code lens titled %s" (cdr (assq 'title spec))))
      (let ((cmd (plist-get lens :command)))
        (eglot-execute-command server (intern (plist-get cmd :command)) (plist-get cmd :arguments)))
      (kt-wait "the lens command's message" (lambda () (> (length kt-messages) before)))
      (kt-put 'lens_message (car kt-messages)))
    (push "codelens" kt-steps)

    (kt-put 'registrations (vconcat (reverse kt-registrations)))
    (let ((proc (jsonrpc--process server)) (started (float-time)))
      (eglot-shutdown server)
      (kt-put 'shutdown_seconds (- (float-time) started))
      (kt-put 'server_exit (list (process-status proc) (process-exit-status proc))))))

(let ((ok (condition-case err
              (progn (kt-main) t)
            (error (kt-put 'error (error-message-string err)) nil))))
  (kt-put 'steps (vconcat (reverse kt-steps)))
  (kt-put 'warnings (vconcat (reverse kt-warnings)))
  (kt-put 'messages (vconcat (reverse kt-messages)))
  (with-temp-file (getenv "KT_OUT") (insert (json-encode kt-results)))
  (kill-emacs (if ok 0 1)))
