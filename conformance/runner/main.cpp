// rtnotify-conformance: replays the fixture corpus against a Bayeux or
// SmartREST server over HTTP(S) and reports each requirement's verdict. With no
// --target it starts rtnotify-server's engine in-process on a loopback port.
// SPDX-License-Identifier: BSL-1.0
//
#include "discover.hpp"
#include "fixture.hpp"
#include "html_report.hpp"
#include "pretty.hpp"
#include "profile.hpp"
#include "report.hpp"
#include "spec_table.hpp"
#include "target.hpp"
#include "run.hpp"

#include <rtnotify/beast/kuzzle_service.hpp>
#include <rtnotify/beast/server.hpp>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <fnmatch.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;
namespace rc = rtnotify_conformance;
namespace json = boost::json;

constexpr char const* usage = R"(usage: rtnotify-conformance [options]

Replays the fixture corpus against a Bayeux / SmartREST server over HTTP or
HTTPS and reports, for each case, whether the server meets the requirement it
checks. Without --target it starts the reference server in-process on
127.0.0.1.

Before any case it probes the target: a Bayeux handshake (its connection
types and advised timeout), one asking for the acknowledgement extension, the
same as a form, a WebSocket upgrade, and a SmartREST handshake (80 on the
real-time path). A case needing what the target does not offer is skipped; a
target that does not accept the handshake stops the run (exit 2).

  --target URL         the server's Bayeux endpoint, http:// or https://
                       (ws:// and wss:// mean the same); its path is ${bayeux}
                       in the fixtures; USER:PASSWORD@ before the host sends
                       them with Basic authentication
  --user NAME:PASSWORD Basic authentication on every request and upgrade
  --header 'N: V'      a header sent on every request and upgrade (repeatable)
  --cacert FILE        trust the certificates in FILE (PEM) instead of the
                       system's store, for an https:// target
  --insecure           do not verify the target's certificate
  --smartrest-path P   where SmartREST templates are registered and queried,
                       ${smartrest} in the fixtures (default /s)
  --realtime-path P    where the SmartREST real-time requests (80 to 84) go,
                       ${realtime} in the fixtures (default
                       /notification/realtime)
  --xid ID             the X-Id (template collection) every SmartREST case
                       uses, ${xid}; implies --no-register. Default: a new
                       collection per case (x followed by the case's run token)
  --no-register        register no SmartREST templates (a tenant keeps every
                       collection it is given): the cases that need to are
                       skipped (not offered: templates)
  --fixtures DIR       the corpus (default: the installed one next to this
                       program, else the one it was built with; see below)
  --spec FILE          the table of spec sections the cases cite (default:
                       the one beside the default corpus, spec/anchors.json);
                       a case citing a section not in it is a fixture error
  --filter GLOB        cases whose id matches GLOB (repeatable; a group name
                       such as bayeux/handshake selects the group)
  --profile NAME|FILE  the verdicts recorded for a server: NAME is one of the
                       profiles beside the default corpus (rtnotify, faye,
                       faye-ruby, cometd), FILE any profile; the exit status
                       then says whether every verdict is the recorded one
  --write-profile FILE write a profile of this run's verdicts (each with what
                       differed as its note), to record another server
  --exclude GLOB       leave out the cases whose id matches GLOB (repeatable)
  --require FEATURE    a case needing FEATURE fails, instead of being
                       skipped, when the target does not offer it
                       (ack, bayeux, form, jsonp, smartrest, templates,
                       websocket; repeatable)
  --strict             a failed SHOULD fails (else it is non-strict)
  --timeout-scale X    multiply every wait by X (slow targets); a reply is
                       awaited for the hold the target advises plus a
                       quarter of it (at least 5 s more), and at least 10 s
  --jobs N             cases run at once (default 16)
  --junit FILE         JUnit XML report
  --json FILE          JSON report (with each case's wire log)
  --html FILE          a self-contained HTML report: summary, filters by
                       verdict and group, each case with its requirement,
                       spec link, steps, what came back and its wire log
  --tap                TAP version 13 on stdout instead of the console report
  --list               list the cases (id, level, description, the address of
                       the section each cites) and exit
  --dry-run            show each selected case's requirement and steps (the
                       prelude's written out), then exit without a request
  --record DIR         run the cases and write them to DIR with what came back
                       as their expectations (captured values as ${var})
  -v                   every step and its reply
  --help               this text

Exit status: 0 nothing failed (with --profile: every verdict as recorded),
1 something failed (with --profile: some verdict differs), 2 usage error,
a target that stopped accepting connections during the run (the reports
are still written, the cases after are skipped),
bad fixture or unreachable target.
)";

/// The corpus used without --fixtures: the installed one (found from this
/// program's own path), else the source corpus this runner was built from.
fs::path default_fixtures()
{
#ifdef RTNOTIFY_CONFORMANCE_INSTALLED_FIXTURES
    std::error_code ec;
    auto const self = fs::read_symlink("/proc/self/exe", ec);
    if(!ec)
    {
        auto const installed = (self.parent_path() / RTNOTIFY_CONFORMANCE_INSTALLED_FIXTURES).lexically_normal();
        if(fs::is_directory(installed, ec))
            return installed;
    }
#endif
    return RTNOTIFY_CONFORMANCE_FIXTURES;
}

/// The folder of the profiles named by --profile NAME: the one beside the default corpus.
fs::path default_profiles()
{
    return default_fixtures().parent_path() / "profiles";
}

/// The whole text of `path`; exits 2, saying what it is, when it cannot be read.
std::string read_whole(fs::path const& path, std::string_view what)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if(!in)
    {
        std::cerr << "rtnotify-conformance: cannot read the " << what << ' ' << path.generic_string() << '\n';
        std::exit(2);
    }
    return text.str();
}

/// The profile `name_or_file` names; exits 2 when it is wrong, or (given a
/// corpus) when it records a case the corpus does not have.
rc::profile load_profile(std::string const& name_or_file, std::vector<rc::fixture> const* corpus)
{
    bool const is_file = name_or_file.find('/') != std::string::npos || name_or_file.ends_with(".json");
    auto const path = is_file ? fs::path(name_or_file) : default_profiles() / (name_or_file + ".json");
    boost::system::error_code ec;
    auto const v = json::parse(read_whole(path, "profile"), ec);
    auto p = ec ? std::variant<rc::profile, std::string>("not JSON: " + ec.message()) : rc::read_profile(v);
    std::optional<std::string> why;
    if(auto const* w = std::get_if<std::string>(&p))
        why = *w;
    else if(corpus)
        why = rc::unknown_case(std::get<rc::profile>(p), *corpus);
    if(why)
    {
        std::cerr << "rtnotify-conformance: profile " << path.generic_string() << ": " << *why << '\n';
        std::exit(2);
    }
    return std::get<rc::profile>(std::move(p));
}

/// The table of spec anchors used without --spec: the one beside the default corpus.
fs::path default_spec_table()
{
    return default_fixtures().parent_path() / "spec" / "anchors.json";
}

/// The table of spec anchors in `path`; exits 2 when it cannot be read.
rc::spec_table load_spec_table(fs::path const& path)
{
    boost::system::error_code ec;
    auto const v = json::parse(read_whole(path, "table of spec anchors"), ec);
    auto t = ec ? std::variant<rc::spec_table, std::string>("not JSON: " + ec.message()) : rc::read_spec_table(v);
    if(auto const* why = std::get_if<std::string>(&t))
    {
        std::cerr << "rtnotify-conformance: " << path.generic_string() << ": " << *why << '\n';
        std::exit(2);
    }
    return std::get<rc::spec_table>(std::move(t));
}

bool selected(std::string const& id, std::vector<std::string> const& filters)
{
    if(filters.empty())
        return true;
    return std::any_of(filters.begin(), filters.end(), [&](std::string const& g) {
        return fnmatch(g.c_str(), id.c_str(), 0) == 0 || id.starts_with(g + "/");
    });
}

/// The fixtures below `dir`, sorted by id; exits 2 on the first that cannot be read.
std::vector<rc::fixture> load(fs::path const& dir)
{
    std::vector<rc::fixture> out;
    std::error_code ec;
    if(!fs::is_directory(dir, ec))
    {
        std::cerr << "rtnotify-conformance: no fixtures folder " << dir << '\n';
        std::exit(2);
    }
    for(auto const& e : fs::recursive_directory_iterator(dir))
    {
        if(!e.is_regular_file() || e.path().extension() != ".json")
            continue;
        auto const rel = fs::relative(e.path(), dir).replace_extension().generic_string();
        std::ifstream in(e.path(), std::ios::binary);
        std::stringstream text;
        text << in.rdbuf();
        boost::system::error_code jec;
        auto v = json::parse(text.str(), jec);
        if(jec)
        {
            std::cerr << "rtnotify-conformance: fixture " << rel << ": not JSON: " << jec.message() << '\n';
            std::exit(2);
        }
        auto f = rc::parse_fixture(rel, v);
        if(!f)
        {
            std::cerr << "rtnotify-conformance: fixture " << rel << ": " << f.error().to_string() << '\n';
            std::exit(2);
        }
        out.push_back(std::move(*f));
    }
    std::sort(out.begin(), out.end(), [](auto const& a, auto const& b) { return a.id < b.id; });
    return out;
}

/// True when a connection to the target (TLS included) opens within 5 s; `why` says why not.
bool reachable(rc::target const& to, std::string& why)
{
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::resolver resolver(ioc);
    rc::connection conn(ioc.get_executor(), to);
    conn.lowest().expires_after(std::chrono::seconds(5));
    boost::system::error_code result = boost::asio::error::timed_out;
    why = "no connection within 5 s";
    rc::async_open(to, resolver, conn.lowest(), conn.tls(),
                   [&](boost::system::error_code ec, std::string const& during) {
                       result = ec;
                       if(ec)
                           why = during + ": " + ec.message();
                   });
    ioc.run_for(std::chrono::seconds(6));
    return !result;
}

/// The reference server on 127.0.0.1 (a free port), run by a thread of its own.
class embedded_server
{
public:
    embedded_server()
    {
        rtnotify::beast::server_options o;
        o.session.timeout = std::chrono::milliseconds(2000); // held connects: quick, for a quick corpus
        o.session.max_interval = std::chrono::milliseconds(3000);
        o.ws_services.emplace("/", std::make_shared<rtnotify::beast::kuzzle_service>());
        srv_ = std::make_unique<rtnotify::beast::server>(ioc_, std::move(o));
        if(auto ec = srv_->listen({boost::asio::ip::make_address("127.0.0.1"), 0}))
        {
            std::cerr << "rtnotify-conformance: cannot start the embedded server: " << ec.message() << '\n';
            std::exit(2);
        }
        port_ = srv_->endpoints().at(0).port();
        thread_ = std::thread([this] { ioc_.run(); });
    }

    ~embedded_server()
    {
        srv_->stop();
        thread_.join();
    }

    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/bayeux"; }

private:
    boost::asio::io_context ioc_;
    std::unique_ptr<rtnotify::beast::server> srv_;
    unsigned short port_ = 0;
    std::thread thread_;
};

bool write_file(std::string const& path, std::string const& text)
{
    std::ofstream out(path, std::ios::binary);
    out << text;
    if(!out)
        std::cerr << "rtnotify-conformance: cannot write " << path << '\n';
    return static_cast<bool>(out);
}

} // namespace

int main(int argc, char** argv)
{
    std::string target, profile, junit, json_out, html_out, record_dir, write_profile;
    rtnotify::beast::endpoint_options reach;
    rc::smartrest_settings smartrest;
    fs::path fixtures = default_fixtures();
    fs::path spec = default_spec_table();
    std::vector<std::string> filters, excluded, required;
    bool strict = false, tap = false, list = false, verbose = false, dry_run = false;
    double scale = 1.0;
    std::size_t jobs = 16;

    std::vector<std::string_view> args(argv + 1, argv + argc);
    for(std::size_t i = 0; i < args.size(); ++i)
    {
        auto const a = args[i];
        if(a == "--help" || a == "-h")
        {
            std::cout << usage << "\nThe default corpus: " << fixtures.generic_string()
                      << "\nThe default table of spec anchors: " << spec.generic_string() << '\n';
            return 0;
        }
        if(a == "--insecure")
        {
            reach.insecure = true;
            continue;
        }
        if(a == "--no-register")
        {
            smartrest.register_templates = false;
            continue;
        }
        if(a == "--dry-run")
        {
            dry_run = true;
            continue;
        }
        if(a == "--strict" || a == "--tap" || a == "--list" || a == "-v")
        {
            (a == "--strict" ? strict : a == "--tap" ? tap : a == "--list" ? list : verbose) = true;
            continue;
        }
        static constexpr std::string_view with_value[] = {"--target", "--fixtures", "--filter",  "--profile", "--timeout-scale",
                                                          "--jobs",   "--junit",    "--json",    "--record",
                                                          "--user",   "--header",   "--cacert",  "--require",
                                                          "--spec",   "--write-profile", "--exclude", "--html",
                                                          "--smartrest-path", "--realtime-path", "--xid"};
        if(std::find(std::begin(with_value), std::end(with_value), a) == std::end(with_value))
        {
            std::cerr << "rtnotify-conformance: unknown option " << a << " (see --help)\n";
            return 2;
        }
        if(i + 1 == args.size())
        {
            std::cerr << "rtnotify-conformance: " << a << " needs a value (see --help)\n";
            return 2;
        }
        std::string const v(args[++i]);
        if(a == "--target")
            target = v;
        else if(a == "--user")
            reach.user = v;
        else if(a == "--header")
        {
            auto h = rtnotify::beast::parse_header_line(v);
            if(!h)
            {
                std::cerr << "rtnotify-conformance: --header takes 'Name: value', not '" << v << "'\n";
                return 2;
            }
            reach.headers.push_back(std::move(*h));
        }
        else if(a == "--require")
        {
            if(!rc::is_known_feature(v))
            {
                std::cerr << "rtnotify-conformance: --require: " << rc::unknown_feature_message(v) << '\n';
                return 2;
            }
            required.push_back(v);
        }
        else if(a == "--cacert")
            reach.cacert = v;
        else if(a == "--smartrest-path" || a == "--realtime-path")
        {
            bool const clean = std::none_of(v.begin(), v.end(), [](char c) {
                return c == '?' || c == '#' || static_cast<unsigned char>(c) <= ' ' || c == 0x7f;
            });
            if(!v.starts_with('/') || !clean)
            {
                std::cerr << "rtnotify-conformance: " << a << " takes a path beginning with /, without spaces, query or fragment, not '"
                          << v << "'\n";
                return 2;
            }
            (a == "--smartrest-path" ? smartrest.path : smartrest.realtime) = v;
        }
        else if(a == "--xid")
        {
            if(v.empty() || !rtnotify::beast::parse_header_line("X-Id: " + v) || v.find_first_of(" \t,") != std::string::npos)
            {
                std::cerr << "rtnotify-conformance: --xid takes a template collection id (no blanks, commas or line breaks), not '"
                          << v << "'\n";
                return 2;
            }
            smartrest.xid = v;
            smartrest.register_templates = false;
        }
        else if(a == "--fixtures")
            fixtures = v;
        else if(a == "--spec")
            spec = v;
        else if(a == "--filter")
            filters.push_back(v);
        else if(a == "--profile")
            profile = v;
        else if(a == "--write-profile")
            write_profile = v;
        else if(a == "--exclude")
            excluded.push_back(v);
        else if(a == "--timeout-scale")
        {
            auto const [end, ec] = std::from_chars(v.data(), v.data() + v.size(), scale);
            if(ec != std::errc() || end != v.data() + v.size() || scale <= 0 || scale > 100)
            {
                std::cerr << "rtnotify-conformance: --timeout-scale takes a number in (0, 100], not '" << v << "'\n";
                return 2;
            }
        }
        else if(a == "--jobs")
        {
            auto const [end, ec] = std::from_chars(v.data(), v.data() + v.size(), jobs);
            if(ec != std::errc() || end != v.data() + v.size() || jobs == 0 || jobs > 256)
            {
                std::cerr << "rtnotify-conformance: --jobs takes a number from 1 to 256, not '" << v << "'\n";
                return 2;
            }
        }
        else if(a == "--junit")
            junit = v;
        else if(a == "--html")
            html_out = v;
        else if(a == "--json")
            json_out = v;
        else
            record_dir = v;
    }

    auto all = load(fixtures);
    if(auto const why = rc::resolve_citations(all, load_spec_table(spec)))
    {
        std::cerr << "rtnotify-conformance: " << *why << " (" << spec.generic_string() << ")\n";
        return 2;
    }
    std::optional<rc::profile> recorded;
    if(!profile.empty())
        recorded = load_profile(profile, &all);
    else if(target.empty())
        recorded = load_profile("rtnotify", nullptr); // the embedded server's own, whatever the corpus
    if(recorded && !smartrest.register_templates)
        std::erase(recorded->features, "templates"); // withheld here: the profile expects those cases skipped
    std::erase_if(all, [&](auto const& f) {
        return !selected(f.id, filters) || (!excluded.empty() && selected(f.id, excluded));
    });
    if(all.empty())
    {
        std::cerr << "rtnotify-conformance: no case matches the filters\n";
        return 2;
    }
    if(list)
    {
        for(auto const& f : all)
            std::cout << f.id << "  [" << rc::level_name(f.lvl) << "] " << f.description << "  (" << f.spec_url
                      << ")\n";
        return 0;
    }

    if(dry_run)
    {
        for(auto const& f : all)
        {
            std::cout << f.id << "  [" << rc::level_name(f.lvl) << ", binds the " << (f.binds_client ? "client" : "server")
                      << "] " << f.description << "\n  " << f.requirement << "\n  " << f.spec_title << ", " << f.spec_url
                      << '\n';
            if(!f.requires_features.empty())
            {
                std::cout << "  requires:";
                for(auto const& r : f.requires_features)
                    std::cout << ' ' << r;
                std::cout << '\n';
            }
            for(std::size_t i = 0; i < f.steps.size(); ++i)
                std::cout << "  " << (i < f.prelude_steps ? "prelude " + std::to_string(i + 1)
                                                          : "step " + std::to_string(i - f.prelude_steps + 1))
                          << ": " << json::serialize(f.steps[i].source) << '\n';
        }
        return 0;
    }

    std::unique_ptr<embedded_server> embedded;
    std::string agent = recorded ? recorded->server : "target";
    if(target.empty())
    {
        embedded = std::make_unique<embedded_server>();
        target = embedded->url();
        agent = "rtnotify (embedded)";
    }
    profile = recorded ? recorded->name : "";
    rc::run_options opts;
    auto made = rtnotify::beast::parse_endpoint(target, reach);
    if(auto const* why = std::get_if<std::string>(&made))
    {
        std::cerr << "rtnotify-conformance: --target " << target << ": " << *why << '\n';
        return 2;
    }
    opts.target = std::move(std::get<rc::target>(made));
    target = opts.target.url(); // without the credentials, for the reports
    opts.required = required;
    opts.recorded = recorded ? &*recorded : nullptr;
    opts.strict = strict;
    opts.timeout_scale = scale;
    opts.record = !record_dir.empty();
    if(std::string why; !reachable(opts.target, why))
    {
        std::cerr << "rtnotify-conformance: cannot reach " << target << ": " << why << '\n';
        return 2;
    }
    opts.smartrest = smartrest;
    auto probed = rc::discover(opts.target, smartrest, std::chrono::milliseconds(static_cast<std::int64_t>(10000 * scale)));
    if(auto const* why = std::get_if<std::string>(&probed))
    {
        std::cerr << "rtnotify-conformance: " << *why << '\n';
        return 2;
    }
    auto const& found = std::get<rc::discovery>(probed);
    opts.features = found.features;
    opts.request_limit = rc::limit_for(found.advised_timeout);

    std::vector<rc::reported> results(all.size());
    std::atomic<std::size_t> next{0};
    std::mutex progress;
    std::size_t completed = 0;
    std::atomic<bool> down{false}; // the target stopped accepting connections: start no more cases
    std::vector<std::string> down_during;
    bool const tty = isatty(STDERR_FILENO) == 1;
    auto const started = std::chrono::steady_clock::now();
    std::vector<std::thread> workers;
    for(std::size_t w = 0; w < std::min(jobs, all.size()); ++w)
        workers.emplace_back([&] {
            for(std::size_t i; (i = next++) < all.size();)
            {
                if(down)
                {
                    rc::case_result r;
                    r.id = all[i].id;
                    r.outcome = rc::verdict::skipped;
                    r.failure = "not run: the target had stopped accepting connections";
                    r.expected_by_profile = recorded ? recorded->expected(all[i]) : "pass";
                    results[i] = {&all[i], std::move(r)};
                }
                else
                    results[i] = {&all[i], rc::run_case(all[i], opts)};
                if(std::string why; results[i].r.refused && !reachable(opts.target, why))
                {
                    std::lock_guard lock(progress);
                    down = true;
                    down_during.push_back(all[i].id);
                }
                std::lock_guard lock(progress);
                auto const line = rc::progress_line(results[i], ++completed, all.size());
                bool const keep = results[i].r.outcome != rc::verdict::pass && results[i].r.outcome != rc::verdict::skipped;
                if(tty) // one live line; what did not pass stays on the screen
                    std::cerr << "\r\033[K" << line << (keep || completed == all.size() ? "\n" : "") << std::flush;
                else
                    std::cerr << line << '\n';
            }
        });
    for(auto& w : workers)
        w.join();
    auto const elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if(down)
    {
        std::string ids;
        for(auto const& id : down_during)
            ids += (ids.empty() ? "" : ", ") + id;
        std::cerr << "rtnotify-conformance: " << target << " stopped accepting connections (found by " << ids
                  << "; the cases running then may have caused it); the cases after were not run\n";
    }

    if(!write_profile.empty())
    {
        rc::profile written;
        written.name = fs::path(write_profile).stem().string();
        written.server = agent + " at " + target;
        written.features = found.features;
        for(auto const& c : results)
        {
            if(c.r.outcome == rc::verdict::pass || c.r.failure.starts_with("not offered: "))
                continue; // a pass, or a skip the features explain, is not recorded
            auto const same = c.r.expected_by_profile == rc::to_string(c.r.outcome) && !c.r.profile_note.empty();
            written.verdicts[c.r.id] = {std::string(rc::to_string(c.r.outcome)), same ? c.r.profile_note : c.r.failure};
        }
        if(!write_file(write_profile, rc::pretty(rc::to_json(written))))
            return 2;
    }

    if(opts.record)
    {
        for(auto const& c : results)
        {
            if(c.r.recorded.empty())
                continue;
            auto const path = fs::path(record_dir) / (c.r.id + ".json");
            fs::create_directories(path.parent_path());
            if(!write_file(path.string(), rc::pretty(c.r.recorded)))
                return 2;
        }
        std::cout << "recorded " << results.size() << " cases from " << target << " in " << record_dir << '\n';
        return 0;
    }

    rc::tally const t(results);
    if(tap)
        rc::write_tap(std::cout, results, profile);
    else
    {
        std::cout << "rtnotify-conformance: " << results.size() << " cases against " << target << " (" << agent
                  << ")\n";
        for(auto const& line : found.findings)
            std::cout << "  probe: " << line << '\n';
        std::cout << "  waiting up to " << opts.request_limit.count() * scale << " ms for a reply\n";
        rc::write_console(std::cout, results, profile, verbose);
        if(t.non_strict || t.informational)
            std::cout << t.non_strict << " non-strict (SHOULD), " << t.informational << " informational (MAY)\n";
        if(!profile.empty())
            std::cout << "profile " << profile << ": " << t.as_recorded << " of " << results.size()
                      << " verdicts as recorded\n";
        std::cout << "elapsed: " << static_cast<long>(elapsed * 10) / 10.0 << " s\n" << t.line() << '\n';
    }
    if(!junit.empty())
    {
        std::ostringstream os;
        rc::write_junit(os, results, elapsed);
        if(!write_file(junit, os.str()))
            return 2;
    }
    if(!json_out.empty() && !write_file(json_out, rc::pretty(rc::json_report(results, agent, target, profile))))
        return 2;
    if(!html_out.empty())
    {
        std::ostringstream os;
        rc::write_html(os, results, {agent, target, profile, found.findings, elapsed});
        if(!write_file(html_out, os.str()))
            return 2;
    }
    if(down)
        return 2;
    if(!profile.empty())
        return t.as_recorded == results.size() ? 0 : 1;
    return t.failed == 0 ? 0 : 1;
}
