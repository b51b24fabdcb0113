// rtnotify-conformance: the self-contained HTML report (--html): summary, filters, and each case with its wire log.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_CONFORMANCE_HTML_REPORT_HPP
#define RTNOTIFY_CONFORMANCE_HTML_REPORT_HPP

#include "pretty.hpp"
#include "report.hpp"

#include <boost/json.hpp>

#include <cstdio>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace rtnotify_conformance {

/// `s` escaped for HTML text and attribute values.
inline std::string html_escape(std::string_view s)
{
    std::string out;
    out.reserve(s.size());
    for(char c : s)
        switch(c)
        {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out.push_back(c);
        }
    return out;
}

/// What the HTML report says about the run as a whole.
struct html_run
{
    std::string agent;   ///< the server, as the profile or the embedded run names it
    std::string target;  ///< its URL, without credentials
    std::string profile; ///< the profile the verdicts were compared with (may be empty)
    std::vector<std::string> findings; ///< what the probe found
    double elapsed_seconds = 0;
};

namespace detail {

// Shows the cases the two filters (verdict, group) leave in, fills the group
// filter, and reads a preset from the address: #verdict=fail&group=bayeux/connect.
inline constexpr char const* html_script = R"(
(function () {
  var cases = Array.prototype.slice.call(document.querySelectorAll('details.case'));
  var verdict = document.getElementById('verdict'), group = document.getElementById('group');
  var groups = {};
  cases.forEach(function (c) { groups[c.dataset.group] = true; });
  Object.keys(groups).sort().forEach(function (g) {
    var o = document.createElement('option'); o.value = g; o.textContent = g; group.appendChild(o);
  });
  function apply() {
    var shown = 0;
    cases.forEach(function (c) {
      var keep = (!verdict.value || c.dataset.verdict === verdict.value) &&
                 (!group.value || c.dataset.group === group.value);
      c.hidden = !keep; if (keep) shown++;
    });
    document.getElementById('shown').textContent = 'showing ' + shown + ' of ' + cases.length + ' cases';
  }
  location.hash.replace(/^#/, '').split('&').forEach(function (kv) {
    var p = kv.split('='); var v = decodeURIComponent(p[1] || '');
    if (p[0] === 'verdict') verdict.value = v;
    if (p[0] === 'group') group.value = v;
  });
  verdict.addEventListener('change', apply); group.addEventListener('change', apply);
  apply();
})();
)";

inline constexpr char const* html_style = R"(
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
table.summary td, table.summary th { padding: .2em .8em; border: 1px solid #ccc; text-align: center; }
details.case { border: 1px solid #ddd; margin: .3em 0; padding: .3em .6em; }
details.case > summary { cursor: pointer; }
.verdict { display: inline-block; min-width: 7em; font-weight: bold; }
.pass { color: #1a7f37; } .fail { color: #cf222e; } .non-strict { color: #9a6700; }
.informational { color: #0969da; } .skipped { color: #6e7781; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2em 1em; }
dt { font-weight: bold; } dd { margin: 0; }
pre { background: #f6f8fa; padding: .5em; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
.wire-sent { border-left: 3px solid #0969da; } .wire-received { border-left: 3px solid #1a7f37; }
.wire-note { border-left: 3px solid #9a6700; }
)";

} // namespace detail

/// The report of `all`, one page with everything in it (no outside files, no network).
inline void write_html(std::ostream& os, std::vector<reported> const& all, html_run const& run)
{
    tally const t(all);
    char elapsed[32];
    std::snprintf(elapsed, sizeof elapsed, "%.1f", run.elapsed_seconds);
    os << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>rtnotify-conformance: "
       << html_escape(run.agent) << "</title>\n<style>" << detail::html_style << "</style>\n</head>\n<body>\n"
       << "<h1>rtnotify-conformance report</h1>\n<p id=\"run\">" << all.size() << " cases against <code>"
       << html_escape(run.target) << "</code> (" << html_escape(run.agent) << ")"
       << (run.profile.empty() ? std::string() : ", compared with the profile " + html_escape(run.profile)) << "; "
       << elapsed << " s.</p>\n";
    os << "<table class=\"summary\" id=\"summary\">\n<tr><th>passed</th><th>failed</th><th>non-strict</th>"
          "<th>informational</th><th>skipped</th>"
       << (run.profile.empty() ? "" : "<th>as recorded</th>") << "</tr>\n<tr><td class=\"pass\">" << t.passed
       << "</td><td class=\"fail\">" << t.failed << "</td><td class=\"non-strict\">" << t.non_strict
       << "</td><td class=\"informational\">" << t.informational << "</td><td class=\"skipped\">" << t.skipped
       << "</td>" << (run.profile.empty() ? "" : "<td>" + std::to_string(t.as_recorded) + "</td>") << "</tr>\n</table>\n";
    if(!run.findings.empty())
    {
        os << "<h2>What the target offers</h2>\n<ul id=\"probe\">\n";
        for(auto const& f : run.findings)
            os << "<li>" << html_escape(f) << "</li>\n";
        os << "</ul>\n";
    }
    os << "<h2>Cases</h2>\n<p id=\"filters\">Verdict: <select id=\"verdict\"><option value=\"\">all</option>";
    for(auto const* v : {"pass", "fail", "non-strict", "informational", "skipped"})
        os << "<option value=\"" << v << "\">" << v << "</option>";
    os << "</select> Group: <select id=\"group\"><option value=\"\">all</option></select> <span id=\"shown\"></span></p>\n"
       << "<div id=\"cases\">\n";
    for(auto const& c : all)
    {
        auto const v = std::string(to_string(c.r.outcome));
        char secs[32];
        std::snprintf(secs, sizeof secs, "%.2f", c.r.seconds);
        os << "<details class=\"case\" id=\"case-" << html_escape(c.r.id) << "\" data-verdict=\"" << v
           << "\" data-group=\"" << html_escape(c.group()) << "\">\n<summary><span class=\"verdict " << v << "\">" << v
           << "</span> <code>" << html_escape(c.r.id) << "</code> " << html_escape(c.f->description) << "</summary>\n<dl>\n"
           << "<dt>Requirement</dt><dd>" << level_name(c.f->lvl) << " (binds the "
           << (c.f->binds_client ? "client" : "server") << "): " << html_escape(c.f->requirement) << "</dd>\n"
           << "<dt>Specification</dt><dd><a class=\"spec\" href=\"" << html_escape(c.f->spec_url) << "\">"
           << html_escape(c.f->spec_title.empty() ? c.f->spec : c.f->spec_title) << "</a></dd>\n";
        if(!c.r.failure.empty())
            os << "<dt>What came back</dt><dd class=\"failure\">" << html_escape(c.r.failure) << "</dd>\n";
        if(!run.profile.empty())
            os << "<dt>Profile</dt><dd>" << html_escape(run.profile) << " records " << html_escape(c.r.expected_by_profile)
               << (c.as_recorded() ? "" : " (differs)")
               << (c.r.profile_note.empty() ? std::string() : ": " + html_escape(c.r.profile_note)) << "</dd>\n";
        os << "<dt>Time</dt><dd>" << secs << " s</dd>\n</dl>\n<details class=\"expectation\"><summary>Steps and "
           << "expectations</summary>\n<pre>" << html_escape(pretty(c.f->source)) << "</pre>\n</details>\n";
        if(!c.r.wire.empty())
        {
            os << "<h4>Wire log</h4>\n";
            for(auto const& w : c.r.wire)
            {
                char at[32];
                std::snprintf(at, sizeof at, "%.1f", w.at_ms);
                os << "<pre class=\"wire-" << html_escape(w.kind) << "\">" << at << " ms, " << html_escape(w.client) << ", "
                   << html_escape(w.kind) << ":\n" << html_escape(w.text) << "</pre>\n";
            }
        }
        os << "</details>\n";
    }
    os << "</div>\n<script>" << detail::html_script << "</script>\n</body>\n</html>\n";
}

} // namespace rtnotify_conformance

#endif
