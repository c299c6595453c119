"""Output formats for CI and review tools, each a built-in output-format plugin
(registered like any plugin's): SARIF 2.1.0, GitHub workflow commands, GitLab
code quality, reviewdog's rdjson; and the per-rule statistics."""
