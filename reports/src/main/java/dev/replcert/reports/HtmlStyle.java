package dev.replcert.reports;

/**
 * The page's only stylesheet, inlined: the report must open offline from an archive or a CI
 * artifact, so nothing may be fetched (no fonts, no scripts, no images).
 */
final class HtmlStyle {

  private HtmlStyle() {}

  static final String CSS =
      """
:root { --pass: #1a7f37; --warn: #9a6700; --fail: #cf222e; --muted: #57606a; --line: #d0d7de; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: #1f2328; background: #fff; }
main { padding: 0 24px 32px; max-width: 1400px; margin: 0 auto; }
h2 { border-bottom: 1px solid var(--line); padding-bottom: 4px; margin-top: 32px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
table.kv { width: auto; }
table.kv th { white-space: nowrap; }
pre { background: #f6f8fa; padding: 8px; overflow-x: auto; white-space: pre-wrap;
      word-break: break-word; margin: 4px 0; max-height: 480px; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
details { margin: 4px 0; }
summary { cursor: pointer; }
ul { margin: 4px 0; padding-left: 20px; }
.muted { color: var(--muted); }
.banner { color: #fff; padding: 20px 24px; }
.banner h1 { margin: 0 0 4px; font-size: 28px; letter-spacing: 0.5px; }
.banner .who { font-size: 16px; margin-bottom: 8px; }
.banner ul { margin: 8px 0 0; }
.banner.certified { background: var(--pass); }
.banner.certified-with-warnings { background: var(--warn); }
.banner.not-certified { background: var(--fail); }
.pill { display: inline-block; padding: 1px 8px; border-radius: 10px; font-weight: 600;
        font-size: 12px; white-space: nowrap; border: 1px solid currentColor; }
.pill.passed, .pill.certified { color: var(--pass); }
.pill.failed, .pill.not-certified { color: var(--fail); }
.pill.skipped, .pill.aborted, .pill.certified-with-warnings { color: var(--warn); }
.pill.not-implemented, .pill.not-claimed, .pill.not-assessed { color: var(--muted); }
tr.failed td:first-child { border-left: 4px solid var(--fail); }
tr.skipped td:first-child { border-left: 4px solid var(--warn); }
tr.passed td:first-child { border-left: 4px solid var(--pass); }
.test { border-top: 1px dashed var(--line); padding-top: 4px; margin-top: 4px; }
.coverage { border: 2px dashed var(--line); padding: 0 16px 8px; margin-top: 32px; }
.coverage h2 { border: none; }
.bar { background: #eaeef2; height: 10px; width: 200px; display: inline-block; }
.bar span { display: block; height: 10px; background: var(--muted); }
footer { color: var(--muted); padding: 16px 24px; border-top: 1px solid var(--line); }
@media print { pre { max-height: none; } }
""";
}
