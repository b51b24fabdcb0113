// rtnotify-conformance: the reports (progress, console, JUnit XML, JSON, TAP 13) and the summary.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_CONFORMANCE_REPORT_HPP
#define RTNOTIFY_CONFORMANCE_REPORT_HPP

#include "fixture.hpp"
#include "run.hpp"

#include <boost/json.hpp>

#include <cmath>
#include <cstdio>
#include <map>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace rtnotify_conformance {

/// A case with its result, as the reports see it.
struct reported
{
    fixture const* f;
    case_result r;

    /// The case's group: its id up to the last `/`.
    std::string group() const { return r.id.substr(0, r.id.rfind('/')); }
    std::string name() const { return r.id.substr(r.id.rfind('/') + 1); }
    bool as_recorded() const { return std::string(to_string(r.outcome)) == r.expected_by_profile; }
};

/// Counts per verdict.
struct tally
{
    std::size_t passed = 0, failed = 0, skipped = 0, non_strict = 0, informational = 0, as_recorded = 0;

    explicit tally(std::vector<reported> const& all)
    {
        for(auto const& c : all)
        {
            switch(c.r.outcome)
            {
            case verdict::pass: ++passed; break;
            case verdict::fail: ++failed; break;
            case verdict::skipped: ++skipped; break;
            case verdict::non_strict: ++non_strict; break;
            case verdict::informational: ++informational; break;
            }
            as_recorded += c.as_recorded() ? 1 : 0;
        }
    }

    /// The closing line: `N passed, N failed, N skipped`.
    std::string line() const
    {
        return std::to_string(passed) + " passed, " + std::to_string(failed) + " failed, " + std::to_string(skipped) +
               " skipped";
    }
};

inline char const* level_name(level l)
{
    return l == level::must ? "MUST" : l == level::should ? "SHOULD" : "MAY";
}

/// Where a case's requirement is written: `title, url`, or the spec key when the table was not read.
inline std::string citation(fixture const& f)
{
    return f.spec_url.empty() ? f.spec : f.spec_title + ", " + f.spec_url;
}

/// One line per case, the requirement and what differed under each case that did not pass.
inline void write_console(std::ostream& os, std::vector<reported> const& all, std::string const& profile, bool verbose)
{
    std::string group;
    for(auto const& c : all)
    {
        if(c.group() != group)
        {
            group = c.group();
            os << group << '\n';
        }
        std::string tag(to_string(c.r.outcome));
        for(auto& ch : tag)
            if(c.r.outcome == verdict::fail)
                ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        os << "  [" << tag << "] " << c.name() << ": " << c.f->description;
        if(!profile.empty() && !c.as_recorded())
            os << "  (profile " << profile << " records " << c.r.expected_by_profile << ")";
        os << '\n';
        if(c.r.outcome != verdict::pass && !c.r.failure.empty())
        {
            if(c.r.outcome != verdict::skipped)
                os << "      -> " << level_name(c.f->lvl) << ": " << c.f->requirement << " (" << citation(*c.f) << ")\n";
            os << "         " << c.r.failure << '\n';
            if(!c.r.profile_note.empty())
                os << "         profile " << profile << ": " << c.r.profile_note << '\n';
        }
        if(verbose)
            for(auto const& l : c.r.log)
                os << "         | " << l << '\n';
    }
}

/// The progress line of a case that just completed, `done` of `total`:
/// `[ 12/168] fail  bayeux/connect/concurrent (61.2 s)`.
inline std::string progress_line(reported const& c, std::size_t done, std::size_t total)
{
    auto const width = std::to_string(total).size();
    auto count = std::to_string(done);
    count.insert(0, width - count.size(), ' ');
    std::string tag(to_string(c.r.outcome));
    tag.resize(std::max<std::size_t>(tag.size(), 13), ' ');
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.1f", c.r.seconds);
    return "[" + count + "/" + std::to_string(total) + "] " + tag + " " + c.r.id + " (" + secs + " s)";
}

/// `s` escaped for XML text and attributes.
inline std::string xml_escape(std::string_view s)
{
    std::string out;
    for(unsigned char c : s)
        switch(c)
        {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\n': out += "&#10;"; break;
        default:
            if(c < 0x20 && c != '\t')
                out += "&#xFFFD;"; // XML 1.0 cannot carry other control characters
            else
                out.push_back(static_cast<char>(c));
        }
    return out;
}

/// JUnit XML: one testsuite per group, a testcase (name, classname, time) per
/// case; each time is wall time: the case's own, its group's cases' added up,
/// and `wall_seconds` (the whole run, cases overlapping) for the root.
inline void write_junit(std::ostream& os, std::vector<reported> const& all, double wall_seconds)
{
    std::map<std::string, std::vector<reported const*>> groups;
    for(auto const& c : all)
        groups[c.group()].push_back(&c);
    tally const t(all);
    char time[32];
    std::snprintf(time, sizeof time, "%.3f", wall_seconds);
    os << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
       << "<testsuites name=\"rtnotify-conformance\" tests=\"" << all.size() << "\" failures=\"" << t.failed
       << "\" skipped=\"" << t.skipped << "\" errors=\"0\" time=\"" << time << "\">\n";
    for(auto const& [name, cases] : groups)
    {
        tally const g([&, &members = cases] {
            std::vector<reported> v;
            for(auto const* c : members)
                v.push_back(*c);
            return v;
        }());
        double secs = 0;
        for(auto const* c : cases)
            secs += c->r.seconds;
        std::snprintf(time, sizeof time, "%.3f", secs);
        os << "  <testsuite name=\"" << xml_escape(name) << "\" tests=\"" << cases.size() << "\" failures=\"" << g.failed
           << "\" skipped=\"" << g.skipped << "\" errors=\"0\" time=\"" << time << "\">\n";
        for(auto const* c : cases)
        {
            std::snprintf(time, sizeof time, "%.3f", c->r.seconds);
            os << "    <testcase name=\"" << xml_escape(c->name()) << "\" classname=\"" << xml_escape(name)
               << "\" time=\"" << time << "\"";
            auto const detail = std::string(level_name(c->f->lvl)) + ": " + c->f->requirement + " (" +
                                citation(*c->f) + ")\n" + c->r.failure;
            switch(c->r.outcome)
            {
            case verdict::pass: os << "/>\n"; break;
            case verdict::fail:
                os << ">\n      <failure message=\"" << xml_escape(c->r.failure) << "\" type=\"" << level_name(c->f->lvl)
                   << "\">" << xml_escape(detail) << "</failure>\n    </testcase>\n";
                break;
            case verdict::skipped:
                os << ">\n      <skipped message=\"" << xml_escape(c->r.failure) << "\"/>\n    </testcase>\n";
                break;
            case verdict::non_strict:
            case verdict::informational:
                os << ">\n      <system-out>" << to_string(c->r.outcome) << ": " << xml_escape(detail)
                   << "</system-out>\n    </testcase>\n";
                break;
            }
        }
        os << "  </testsuite>\n";
    }
    os << "</testsuites>\n";
}

/// JSON, after Autobahn's index: `{agent, target, summary, cases: {id: {behavior, ...}}}`.
inline boost::json::object json_report(std::vector<reported> const& all, std::string const& agent,
                                       std::string const& target_url, std::string const& profile)
{
    namespace json = boost::json;
    tally const t(all);
    json::object cases;
    for(auto const& c : all)
    {
        json::object o{{"behavior", to_string(c.r.outcome)},
                       {"level", level_name(c.f->lvl)},
                       {"spec", c.f->spec},
                       {"spec_title", c.f->spec_title},
                       {"spec_url", c.f->spec_url},
                       {"requirement", c.f->requirement},
                       {"description", c.f->description},
                       {"duration_ms", static_cast<std::int64_t>(c.r.seconds * 1000)}};
        if(!c.r.failure.empty())
            o["failure"] = c.r.failure;
        json::array wire;
        for(auto const& w : c.r.wire)
            wire.push_back(json::object{{"at_ms", std::round(w.at_ms * 10) / 10}, {"client", w.client}, {"kind", w.kind}, {"text", w.text}});
        o["wire"] = std::move(wire);
        o["binds"] = c.f->binds_client ? "client" : "server";
        if(!profile.empty())
            o["profile"] = {{"expected", c.r.expected_by_profile}, {"as_recorded", c.as_recorded()}, {"note", c.r.profile_note}};
        cases[c.r.id] = std::move(o);
    }
    json::object summary{{"cases", all.size()},           {"passed", t.passed},
                         {"failed", t.failed},            {"skipped", t.skipped},
                         {"non_strict", t.non_strict},    {"informational", t.informational}};
    if(!profile.empty())
        summary["as_recorded"] = t.as_recorded;
    return {{"agent", agent}, {"target", target_url}, {"profile", profile}, {"summary", std::move(summary)},
            {"cases", std::move(cases)}};
}

/// TAP version 13 (as Perl's `prove` reads it): a SHOULD or MAY that failed,
/// and with a profile a failure it records, is `not ok ... # TODO`; a skipped
/// case `ok ... # SKIP`.
inline void write_tap(std::ostream& os, std::vector<reported> const& all, std::string const& profile)
{
    os << "TAP version 13\n1.." << all.size() << '\n';
    std::size_t n = 0;
    auto yaml = [&](std::string_view s) {
        std::string q = "\"";
        for(char c : s)
            q += c == '"' ? std::string("\\\"") : c == '\\' ? std::string("\\\\") : c == '\n' ? std::string("\\n") : std::string(1, c);
        return q + "\"";
    };
    for(auto const& c : all)
    {
        ++n;
        bool const bad = c.r.outcome == verdict::fail || c.r.outcome == verdict::non_strict ||
                         c.r.outcome == verdict::informational;
        os << (bad ? "not ok " : "ok ") << n << " - " << c.r.id;
        if(c.r.outcome == verdict::skipped)
            os << " # SKIP " << c.r.failure;
        else if(c.r.outcome != verdict::fail && bad)
            os << " # TODO " << to_string(c.r.outcome) << " (" << level_name(c.f->lvl) << ")";
        else if(c.r.outcome == verdict::fail && !profile.empty() && c.as_recorded())
            os << " # TODO recorded for " << profile << ": " << c.r.profile_note;
        os << '\n';
        if(bad)
            os << "  ---\n  requirement: " << yaml(c.f->requirement) << "\n  level: " << level_name(c.f->lvl)
               << "\n  spec: " << yaml(citation(*c.f)) << "\n  failure: " << yaml(c.r.failure) << "\n  ...\n";
    }
}

} // namespace rtnotify_conformance

#endif
