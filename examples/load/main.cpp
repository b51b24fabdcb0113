// rtnotify-load: N Bayeux subscribers and a publisher against any Bayeux server; reports latency
// percentiles, lost, duplicated and out-of-order deliveries, deliveries/s and the server's CPU per delivery.
// SPDX-License-Identifier: BSL-1.0
//
#include <rtnotify/beast/client.hpp>
#include <rtnotify/detail/random.hpp>

#include "../reach_options.hpp"
#include "delivery_ledger.hpp"
#include "latency_histogram.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <fstream>
#include <functional>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace {

constexpr char const* usage = R"(usage: rtnotify-load URL [URL...] [options]

Starts --subscribers Bayeux clients on URL (http, https, ws or wss://...),
each subscribed to one channel, and one more client that publishes numbered
messages there (with several URLs, the nodes of a cluster: subscribers go to
each in turn, the publisher to the first or to --publish-to), either at a fixed --rate or closed-loop with --in-flight
messages not yet received by every subscriber. After --warmup seconds it
measures for --duration seconds, stops publishing, waits up to --drain
seconds for the last deliveries, disconnects every client and reports:

  latency    from the publish call to each delivery, in microseconds:
             p50 p90 p99 p99.9 max (log-linear buckets, at most 1/64 high)
  accounting deliveries expected (acknowledged publishes x subscribers),
             delivered, lost (never arrived), duplicated, out of order,
             unknown (a number never published), and what the server said
             it dropped (the acknowledgement extension's overflow report)
  failures   requests that failed on their way (connect, read, a status
             other than 200), counted by reason; the clients retry them
  rate       deliveries/s within the measured window
  cpu        with --server-pid: the server's CPU (user + system, from
             /proc/PID/stat) per delivery in the window, the part of it
             spent in the kernel (system), and its resident
             memory per subscriber session (growth from before the first
             handshake to all subscribed); the load tool's own CPU per
             delivery, to tell whether it was the bottleneck

  --subscribers N       subscriber clients (default 100)
  --rate R              publish R messages/s (R x N deliveries/s offered)
  --in-flight K         closed loop: keep K messages published but not yet
                        received by every subscriber (default 1; the
                        default mode)
  --size BYTES          padding in each message's data (default 64)
  --warmup S            seconds published but not measured (default 1)
  --duration S          seconds measured (default 10)
  --drain S             seconds to wait for deliveries after the last
                        publish (default 10)
  --connect-timeout S   seconds for every subscriber to be subscribed
                        (default 60); beyond: exit 1
  --publish-to URL      the publisher's server (default the first URL): a
                        node other than the subscribers' measures the
                        delivery across a cluster
  --channel NAME        the channel (default /load/ and a random suffix, so
                        runs against one server do not mix)
  --websocket           WebSocket instead of long-polling (implied by ws://
                        and wss:// URLs)
  --no-ack              do not ask for the acknowledgement extension; over
                        WebSocket a server then pushes each delivery
                        without waiting for the next /meta/connect (the
                        report's "acknowledging" counts the subscribers
                        whose server granted it)
  --server-pid PID      read the server's CPU and memory from /proc/PID
  --json                print the report as one JSON object on stdout
  --quiet               no progress line on stderr each second
  --user NAME:PASSWORD  Basic authentication on every request
  --header 'Name: value'  an extra header on every request (repeatable)
  --cacert FILE         trust this PEM file's certificates (https, wss)
  --insecure            do not check the server's certificate
  --help                this text

Servers limit what one client address may hold: give rtnotify-server
--max-sessions-per-address and --max-connections-per-address above the
subscriber count (long-polling: two sockets per subscriber). The tool raises
its own open-file limit to the hard limit; the server may need the same.

Exit status: 0 measured (whatever was lost), 1 the subscribers could not all
subscribe or publishing failed at once, 2 usage.
)";

namespace rb = rtnotify::beast;
namespace ss = rtnotify::session;
using clock_type = std::chrono::steady_clock;

/// CPU time and resident memory of a process, from /proc/PID/stat.
struct process_sample
{
    double cpu_seconds = 0;    ///< user + system
    double system_seconds = 0; ///< in the kernel (system calls, and the loopback's packets they carry)
    std::uint64_t rss_bytes = 0;
};

/// `pid`'s CPU and memory (`self` for this process); nothing when it cannot be read.
std::optional<process_sample> sample_process(std::string const& pid)
{
    std::ifstream in("/proc/" + pid + "/stat");
    std::string line;
    if(!std::getline(in, line))
        return std::nullopt;
    // the command name (field 2) may hold spaces and parentheses: fields resume after the last ')'
    auto const close = line.rfind(')');
    if(close == std::string::npos)
        return std::nullopt;
    std::istringstream fields(line.substr(close + 1));
    std::vector<std::string> f; // f[0] is field 3 (state)
    for(std::string w; fields >> w;)
        f.push_back(w);
    if(f.size() < 22)
        return std::nullopt;
    auto const ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
    process_sample s;
    s.cpu_seconds = (std::stod(f[11]) + std::stod(f[12])) / ticks;                          // utime, stime
    s.system_seconds = std::stod(f[12]) / ticks;
    s.rss_bytes = std::stoull(f[21]) * static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE)); // rss (pages)
    return s;
}

/// Raises the soft limit of open files to the hard one: long-polling holds two sockets per subscriber.
void raise_open_file_limit()
{
    rlimit l{};
    if(getrlimit(RLIMIT_NOFILE, &l) == 0 && l.rlim_cur < l.rlim_max)
    {
        l.rlim_cur = l.rlim_max;
        setrlimit(RLIMIT_NOFILE, &l);
    }
}

/// What the command line asked for.
struct load_options
{
    std::vector<std::string> urls; ///< the subscribers' servers, taken in turn
    std::string publish_url;       ///< the publisher's server; empty: the first of `urls`
    rb::endpoint_options reach;
    std::uint64_t subscribers = 100;
    std::optional<double> rate;
    std::uint64_t in_flight = 1;
    std::uint64_t size = 64;
    double warmup = 1;
    double duration = 10;
    double drain = 10;
    double connect_timeout = 60;
    std::string channel;
    bool websocket = false;
    bool ack = true;
    std::optional<std::string> server_pid;
    bool json = false;
    bool quiet = false;
};

/// Parses the command line into `o`; 0 to run, otherwise the exit status (help printed, or a usage error reported).
std::optional<int> parse_command_line(std::vector<std::string_view> const& args, load_options& o)
{
    for(std::size_t i = 0; i < args.size(); ++i)
    {
        auto const a = args[i];
        if(a == "--help" || a == "-h")
        {
            std::cout << usage;
            return 0;
        }
        auto const taken = rtnotify_examples::take_reach_option("rtnotify-load", args, i, o.reach);
        if(taken == rtnotify_examples::option_taken::usage_error)
            return 2;
        if(taken == rtnotify_examples::option_taken::yes)
            continue;
        if(a == "--no-ack")
        {
            o.ack = false;
            continue;
        }
        if(a == "--websocket" || a == "--json" || a == "--quiet")
        {
            (a == "--websocket" ? o.websocket : a == "--json" ? o.json : o.quiet) = true;
            continue;
        }
        if(!a.starts_with("--"))
        {
            o.urls.emplace_back(a);
            continue;
        }
        constexpr std::string_view with_values[] = {"--channel", "--server-pid", "--subscribers", "--in-flight",
                                                    "--size",    "--rate",       "--warmup",      "--duration",
                                                    "--drain",   "--connect-timeout", "--publish-to"};
        if(std::find(std::begin(with_values), std::end(with_values), a) == std::end(with_values))
        {
            std::cerr << "rtnotify-load: unknown option " << a << " (see --help)\n";
            return 2;
        }
        if(i + 1 == args.size())
        {
            std::cerr << "rtnotify-load: " << a << " needs a value (see --help)\n";
            return 2;
        }
        auto const v = args[++i];
        if(a == "--publish-to")
            o.publish_url = std::string(v);
        else if(a == "--channel" || a == "--server-pid")
        {
            if(a == "--server-pid" && !rtnotify_examples::parse_number(v))
            {
                std::cerr << "rtnotify-load: --server-pid takes a process id, not '" << v << "'\n";
                return 2;
            }
            (a == "--channel" ? o.channel : o.server_pid.emplace()) = std::string(v);
        }
        else if(a == "--subscribers" || a == "--in-flight" || a == "--size")
        {
            auto const n = rtnotify_examples::parse_number(v);
            auto const most = a == "--subscribers" ? 1000000u : a == "--in-flight" ? 100000u : 16u << 20;
            auto const least = a == "--size" ? 0u : 1u;
            if(!n || *n < least || *n > most)
            {
                std::cerr << "rtnotify-load: " << a << " takes a number from " << least << " to " << most << ", not '"
                          << v << "'\n";
                return 2;
            }
            (a == "--subscribers" ? o.subscribers : a == "--in-flight" ? o.in_flight : o.size) = *n;
        }
        else // --rate, --warmup, --duration, --drain, --connect-timeout
        {
            double d = 0;
            std::istringstream in{std::string(v)};
            if(!(in >> d) || !in.eof() || !std::isfinite(d) || d < 0 || d > 1e6 || (d == 0 && a == "--rate") ||
               (d == 0 && a == "--duration"))
            {
                std::cerr << "rtnotify-load: " << a << " takes a positive number"
                          << (a == "--rate" || a == "--duration" ? "" : " or 0") << ", not '" << v << "'\n";
                return 2;
            }
            if(a == "--rate")
                o.rate = d;
            else
                (a == "--warmup" ? o.warmup : a == "--duration" ? o.duration : a == "--drain" ? o.drain
                                                                                               : o.connect_timeout) = d;
        }
    }
    if(o.urls.empty())
    {
        std::cerr << usage;
        return 2;
    }
    if(o.publish_url.empty())
        o.publish_url = o.urls.front();
    for(auto const& u : o.urls)
        if(u.starts_with("ws://") || u.starts_with("wss://"))
            o.websocket = true;
    if(o.channel.empty())
        o.channel = "/load/" + rtnotify::detail::random_id(8);
    return std::nullopt;
}

/// The run: the clients, the ledger, the clock of the phases.
class load_run
{
public:
    /// Subscribers on each of `at` in turn, the publisher on `publish_at`.
    load_run(boost::asio::io_context& ioc, load_options opts, std::vector<rb::endpoint> const& at,
             rb::endpoint const& publish_at)
        : o_(std::move(opts)), ledger_(o_.subscribers), tick_(ioc), grace_(ioc), padding_(o_.size, 'x')
    {
        rb::client_options co;
        if(o_.websocket)
            co.session.connection_types = {"websocket"};
        co.session.ack = o_.ack;
        has_subscribed_.assign(o_.subscribers, false);
        for(std::size_t s = 0; s < o_.subscribers; ++s)
            subscribers_.push_back(std::make_unique<rb::client>(ioc.get_executor(), at[s % at.size()], co));
        publisher_ = std::make_unique<rb::client>(ioc.get_executor(), publish_at, co);
    }

    /// Called once every client is closed, the run over.
    std::function<void()> on_done;

    /// Starts every client; the run goes on in the io_context.
    void start()
    {
        if(o_.server_pid)
            server_before_ = sample_process(*o_.server_pid);
        started_ = clock_type::now();
        last_progress_ = started_;
        for(std::size_t s = 0; s < subscribers_.size(); ++s)
        {
            auto& c = *subscribers_[s];
            c.on_event = [this, s](ss::client_event& e) { subscriber_event(s, e); };
            c.on_failure = [this](std::string_view why) { failure(why); };
            c.subscribe(o_.channel);
            c.start();
        }
        publisher_->on_event = [this](ss::client_event& e) { publisher_event(e); };
        publisher_->on_failure = [this](std::string_view why) { failure(why); };
        publisher_->start();
        schedule_tick();
    }

    /// Stops now (a signal): reports what was measured so far.
    void interrupt()
    {
        interrupted_ = true;
        if(phase_ != phase::finished)
            finish();
    }

    /// The exit status and the report, once the io_context has run out.
    int report()
    {
        if(!all_subscribed_)
        {
            std::cerr << "rtnotify-load: " << subscribed_ << " of " << o_.subscribers << " subscribers subscribed in "
                      << o_.connect_timeout << " s" << (first_failure_.empty() ? "" : "; first failure: ")
                      << first_failure_ << '\n';
            return 1;
        }
        if(ledger_.published() == 0 || acknowledged_ == 0)
        {
            std::cerr << "rtnotify-load: no publish was acknowledged ("
                      << (refused_ ? "refused: " + first_refusal_ : "failed: " + first_failure_) << ")\n";
            return 1;
        }
        auto const r = summary();
        if(o_.json)
            std::cout << boost::json::serialize(r) << std::endl;
        else
            print_table(r);
        return 0;
    }

private:
    enum class phase
    {
        subscribing, ///< waiting for every subscriber
        warming,     ///< publishing, not measured
        measuring,   ///< publishing, measured
        draining,    ///< waiting for the last deliveries
        finished     ///< disconnecting
    };

    static double seconds(clock_type::duration d) { return std::chrono::duration<double>(d).count(); }

    void failure(std::string_view why)
    {
        ++failures_;
        if(first_failure_.empty())
            first_failure_ = std::string(why);
        // counted by reason, the first distinct reasons each on their own
        constexpr std::size_t most_reasons = 16;
        auto const known = failure_reasons_.find(why);
        if(known != failure_reasons_.end())
            ++known->second;
        else if(failure_reasons_.size() < most_reasons)
            failure_reasons_.emplace(std::string(why), 1);
        else
            ++failure_reasons_["(other reasons)"];
    }

    void subscriber_event(std::size_t s, ss::client_event& e)
    {
        if(auto* d = std::get_if<ss::delivered>(&e))
            return delivered(s, *d);
        if(auto* r = std::get_if<ss::replied>(&e))
        {
            auto const& m = r->reply;
            if(rtnotify::bayeux::kind_of(m.channel) == rtnotify::bayeux::message_kind::subscribe)
            {
                if(m.successful.value_or(false))
                {
                    // a subscriber subscribes again after a new handshake: count each once
                    if(!has_subscribed_[s])
                    {
                        has_subscribed_[s] = true;
                        if(++subscribed_ == o_.subscribers)
                            everyone_subscribed();
                    }
                    else
                        ++resubscribed_;
                }
                else if(first_refusal_.empty())
                    first_refusal_ = m.error.value_or("subscribe refused without an error");
            }
            else if(rtnotify::bayeux::kind_of(m.channel) == rtnotify::bayeux::message_kind::disconnect)
                disconnected();
        }
        else if(auto* l = std::get_if<ss::deliveries_lost>(&e))
            server_dropped_ += l->dropped;
    }

    void delivered(std::size_t s, ss::delivered const& d)
    {
        auto const now = clock_type::now();
        std::optional<std::uint64_t> seq;
        if(d.message.data && d.message.data->is_object())
            if(auto const* n = d.message.data->as_object().if_contains("seq"); n && n->is_int64() && n->as_int64() >= 0)
                seq = static_cast<std::uint64_t>(n->as_int64());
        if(!seq)
        {
            ++malformed_;
            return;
        }
        if(ledger_.received(s, *seq) != rtnotify_examples::receipt::first)
            return;
        if(*seq >= first_measured_)
            latency_.record(static_cast<std::uint64_t>(
                std::chrono::duration_cast<std::chrono::microseconds>(now - sent_at_[*seq]).count()));
        if(phase_ == phase::measuring)
            ++window_deliveries_;
        if(ledger_.complete(*seq) && !o_.rate)
            publish_due();
        if(phase_ == phase::draining && ledger_.complete() == ledger_.published())
            finish();
    }

    void publisher_event(ss::client_event& e)
    {
        if(auto* r = std::get_if<ss::replied>(&e))
        {
            auto const& m = r->reply;
            auto const kind = rtnotify::bayeux::kind_of(m.channel);
            if(kind == rtnotify::bayeux::message_kind::handshake && m.successful.value_or(false))
            {
                publisher_ready_ = true;
                begin_publishing();
            }
            else if(kind == rtnotify::bayeux::message_kind::disconnect)
                disconnected();
            else if(kind == rtnotify::bayeux::message_kind::publish)
            {
                if(m.successful.value_or(false))
                    ++acknowledged_;
                else if(++refused_ == 1)
                    first_refusal_ = m.error.value_or("publish refused without an error");
            }
        }
        else if(std::holds_alternative<ss::publish_failed>(e))
            ++publish_failed_;
    }

    void everyone_subscribed()
    {
        all_subscribed_ = true;
        subscribed_at_ = clock_type::now();
        acknowledging_ = static_cast<std::uint64_t>(std::ranges::count_if(
            subscribers_, [](auto const& c) { return c->engine().acknowledging(); }));
        if(o_.server_pid)
            server_subscribed_ = sample_process(*o_.server_pid);
        begin_publishing();
    }

    void begin_publishing()
    {
        if(!all_subscribed_ || !publisher_ready_ || phase_ != phase::subscribing)
            return;
        phase_ = phase::warming;
        publishing_since_ = clock_type::now();
        if(o_.warmup == 0)
            begin_measuring();
        publish_due();
    }

    void begin_measuring()
    {
        phase_ = phase::measuring;
        window_start_ = clock_type::now();
        first_measured_ = ledger_.published();
        if(o_.server_pid)
            server_window_start_ = sample_process(*o_.server_pid);
        self_window_start_ = sample_process("self");
    }

    /// Publishes what is due: by the rate's schedule, or until `in_flight` are incomplete.
    void publish_due()
    {
        if(phase_ != phase::warming && phase_ != phase::measuring)
            return;
        std::uint64_t due = 0;
        if(o_.rate)
        {
            auto const should = static_cast<std::uint64_t>(seconds(clock_type::now() - publishing_since_) * *o_.rate) + 1;
            due = should > ledger_.published() ? should - ledger_.published() : 0;
        }
        else
        {
            auto const flying = ledger_.published() - ledger_.complete();
            due = flying < o_.in_flight ? o_.in_flight - flying : 0;
        }
        for(; due > 0; --due)
        {
            auto const seq = ledger_.publish();
            sent_at_.push_back(clock_type::now());
            boost::json::object data;
            data["seq"] = seq;
            data["pad"] = padding_;
            publisher_->publish(o_.channel, std::move(data));
        }
    }

    void schedule_tick()
    {
        // with --rate, as often as messages are due (1 ms at most often); at least every 100 ms (phases, progress)
        auto period = std::chrono::microseconds(100000);
        if(o_.rate)
            period = std::clamp(std::chrono::microseconds(static_cast<std::int64_t>(1e6 / *o_.rate)),
                                std::chrono::microseconds(1000), period);
        tick_.expires_after(period);
        tick_.async_wait([this](boost::system::error_code ec) {
            if(ec || phase_ == phase::finished)
                return;
            on_tick();
            if(phase_ != phase::finished)
                schedule_tick();
        });
    }

    void on_tick()
    {
        auto const now = clock_type::now();
        if(phase_ == phase::subscribing && seconds(now - started_) > o_.connect_timeout)
            return finish();
        if(phase_ == phase::warming && seconds(now - publishing_since_) >= o_.warmup)
            begin_measuring();
        if(phase_ == phase::measuring && seconds(now - window_start_) >= o_.duration)
            end_measuring();
        if(phase_ == phase::draining &&
           (seconds(now - window_end_) >= o_.drain || ledger_.complete() == ledger_.published()))
            return finish();
        publish_due();
        if(!o_.quiet && seconds(now - last_progress_) >= 1)
            progress(now);
    }

    void end_measuring()
    {
        window_end_ = clock_type::now();
        if(o_.server_pid)
            server_window_end_ = sample_process(*o_.server_pid);
        self_window_end_ = sample_process("self");
        phase_ = phase::draining;
    }

    void progress(clock_type::time_point now)
    {
        auto const since = seconds(now - last_progress_);
        last_progress_ = now;
        auto const delivered = ledger_.delivered();
        std::cerr << "rtnotify-load: " << std::fixed << std::setprecision(1) << seconds(now - started_) << " s  "
                  << (phase_ == phase::subscribing ? "subscribing" : phase_ == phase::warming ? "warming up"
                                                                   : phase_ == phase::measuring ? "measuring"
                                                                                                : "draining")
                  << "  subscribed " << subscribed_ << '/' << o_.subscribers << "  published " << ledger_.published()
                  << "  delivered " << delivered << " (" << std::setprecision(0)
                  << static_cast<double>(delivered - delivered_at_progress_) / since << "/s)  missing "
                  << ledger_.missing() << "  p99 " << latency_.percentile(99) << " us  failures " << failures_
                  << std::endl;
        delivered_at_progress_ = delivered;
    }

    /// Stops publishing and disconnects every client (at most 5 s for the replies).
    void finish()
    {
        if(phase_ == phase::measuring)
            end_measuring();
        phase_ = phase::finished;
        tick_.cancel();
        if(!window_end_.time_since_epoch().count())
            window_end_ = clock_type::now();
        waiting_disconnects_ = subscribers_.size() + 1;
        auto stop_one = [this](rb::client& c) {
            auto const st = c.engine().state();
            if(interrupted_ || (st != ss::client_state::connected && st != ss::client_state::connecting))
            {
                c.close();
                --waiting_disconnects_;
            }
            else
                c.disconnect();
        };
        for(auto& c : subscribers_)
            stop_one(*c);
        stop_one(*publisher_);
        if(waiting_disconnects_ == 0)
            return close_all();
        grace_.expires_after(std::chrono::seconds(5));
        grace_.async_wait([this](boost::system::error_code ec) {
            if(!ec)
                close_all();
        });
    }

    void disconnected()
    {
        if(phase_ == phase::finished && waiting_disconnects_ > 0 && --waiting_disconnects_ == 0)
            close_all();
    }

    void close_all()
    {
        grace_.cancel();
        for(auto& c : subscribers_)
            c->close();
        publisher_->close();
        if(on_done)
            on_done();
    }

    boost::json::object summary() const
    {
        boost::json::object r;
        r["url"] = o_.urls.front();
        if(o_.urls.size() > 1)
        {
            boost::json::array urls;
            for(auto const& u : o_.urls)
                urls.emplace_back(u);
            r["urls"] = std::move(urls);
        }
        r["publish_url"] = o_.publish_url;
        r["transport"] = o_.websocket ? "websocket" : "long-polling";
        r["subscribers"] = o_.subscribers;
        r["acknowledging"] = acknowledging_;
        if(o_.rate)
            r["rate"] = *o_.rate;
        else
            r["in_flight"] = o_.in_flight;
        r["size"] = o_.size;
        auto const window = seconds(window_end_ - window_start_);
        r["seconds"] = window;
        r["interrupted"] = interrupted_;
        r["published"] = ledger_.published();
        r["acknowledged"] = acknowledged_;
        r["refused"] = refused_;
        r["publish_failed"] = publish_failed_;
        r["expected"] = ledger_.published() * o_.subscribers;
        r["delivered"] = ledger_.delivered();
        r["lost"] = ledger_.missing();
        r["duplicated"] = ledger_.duplicated();
        r["out_of_order"] = ledger_.out_of_order();
        r["unknown"] = ledger_.unknown() + malformed_;
        r["server_dropped"] = server_dropped_;
        r["transport_failures"] = failures_;
        boost::json::object reasons;
        for(auto const& [why, count] : failure_reasons_)
            reasons[why] = count;
        r["transport_failures_by_reason"] = std::move(reasons);
        r["resubscribed"] = resubscribed_;
        r["window_deliveries"] = window_deliveries_;
        r["deliveries_per_second"] = window > 0 ? static_cast<double>(window_deliveries_) / window : 0.0;
        r["subscribe_seconds"] = seconds(subscribed_at_ - started_);
        boost::json::object lat;
        lat["count"] = latency_.count();
        lat["p50"] = latency_.percentile(50);
        lat["p90"] = latency_.percentile(90);
        lat["p99"] = latency_.percentile(99);
        lat["p999"] = latency_.percentile(99.9);
        lat["max"] = latency_.max();
        r["latency_us"] = std::move(lat);
        auto per_delivery = [&](std::optional<process_sample> const& a, std::optional<process_sample> const& b,
                                char const* name) {
            if(a && b && window_deliveries_ > 0)
            {
                r[std::string(name) + "_cpu_seconds"] = b->cpu_seconds - a->cpu_seconds;
                r[std::string(name) + "_cpu_us_per_delivery"] =
                    (b->cpu_seconds - a->cpu_seconds) * 1e6 / static_cast<double>(window_deliveries_);
                r[std::string(name) + "_system_cpu_us_per_delivery"] =
                    (b->system_seconds - a->system_seconds) * 1e6 / static_cast<double>(window_deliveries_);
            }
        };
        per_delivery(server_window_start_, server_window_end_, "server");
        per_delivery(self_window_start_, self_window_end_, "load");
        if(server_before_ && server_subscribed_)
        {
            r["server_rss_kib"] = server_subscribed_->rss_bytes / 1024;
            r["server_kib_per_session"] =
                (static_cast<double>(server_subscribed_->rss_bytes) - static_cast<double>(server_before_->rss_bytes)) /
                1024.0 / static_cast<double>(o_.subscribers + 1);
        }
        return r;
    }

    /// The report as lines "name value"; fractions with two decimals.
    static void print_table(boost::json::object const& r)
    {
        auto shown = [](boost::json::value const& v) {
            std::ostringstream out;
            if(v.is_double())
                out << std::fixed << std::setprecision(2) << v.as_double();
            else if(v.is_string())
                out << v.as_string().c_str();
            else
                out << boost::json::serialize(v);
            return out.str();
        };
        for(auto const& [k, v] : r)
        {
            std::cout << std::left << std::setw(28) << std::string(k);
            if(v.is_object())
                for(auto const& [kk, vv] : v.as_object())
                    std::cout << kk << ' ' << shown(vv) << "  ";
            else
                std::cout << shown(v);
            std::cout << '\n';
        }
    }

    load_options o_;
    rtnotify_examples::delivery_ledger ledger_;
    rtnotify_examples::latency_histogram latency_;
    std::vector<clock_type::time_point> sent_at_; // by message number
    std::vector<std::unique_ptr<rb::client>> subscribers_;
    std::unique_ptr<rb::client> publisher_;
    boost::asio::steady_timer tick_;
    boost::asio::steady_timer grace_; // the disconnects' time
    std::string padding_;
    phase phase_ = phase::subscribing;
    bool all_subscribed_ = false;
    bool publisher_ready_ = false;
    bool interrupted_ = false;
    std::uint64_t subscribed_ = 0;
    std::uint64_t resubscribed_ = 0; ///< subscriptions after a subscriber's first (a new handshake: its session was lost)
    std::uint64_t acknowledging_ = 0; ///< subscribers granted the acknowledgement extension, counted once all subscribed
    std::uint64_t first_measured_ = UINT64_MAX;
    std::uint64_t window_deliveries_ = 0;
    std::uint64_t delivered_at_progress_ = 0;
    std::uint64_t acknowledged_ = 0;
    std::uint64_t refused_ = 0;
    std::uint64_t publish_failed_ = 0;
    std::uint64_t failures_ = 0;
    std::uint64_t malformed_ = 0;
    std::uint64_t server_dropped_ = 0;
    std::size_t waiting_disconnects_ = 0;
    std::string first_failure_;
    std::map<std::string, std::uint64_t, std::less<>> failure_reasons_; ///< at most 16 reasons, then "(other reasons)"
    std::vector<bool> has_subscribed_;                                  ///< by subscriber: subscribed once at least
    std::string first_refusal_;
    clock_type::time_point started_, subscribed_at_, publishing_since_, window_start_, window_end_, last_progress_;
    std::optional<process_sample> server_before_, server_subscribed_, server_window_start_, server_window_end_;
    std::optional<process_sample> self_window_start_, self_window_end_;
};

} // namespace

int main(int argc, char** argv)
{
    load_options o;
    if(auto const status = parse_command_line(std::vector<std::string_view>(argv + 1, argv + argc), o))
        return *status;
    auto const endpoint_of = [&](std::string const& url) -> std::optional<rb::endpoint> {
        auto e = rb::parse_endpoint(url, o.reach);
        if(auto const* why = std::get_if<std::string>(&e))
        {
            std::cerr << "rtnotify-load: " << url << ": " << *why << '\n';
            return std::nullopt;
        }
        return std::get<rb::endpoint>(std::move(e));
    };
    std::vector<rb::endpoint> at;
    for(auto const& url : o.urls)
    {
        auto e = endpoint_of(url);
        if(!e)
            return 2;
        at.push_back(std::move(*e));
    }
    auto const publish_at = endpoint_of(o.publish_url);
    if(!publish_at)
        return 2;
    if(o.server_pid && !sample_process(*o.server_pid))
    {
        std::cerr << "rtnotify-load: --server-pid " << *o.server_pid << ": cannot read /proc/" << *o.server_pid
                  << "/stat\n";
        return 2;
    }
    raise_open_file_limit();
    boost::asio::io_context ioc;
    load_run run(ioc, o, at, *publish_at);
    boost::asio::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&](boost::system::error_code ec, int) {
        if(!ec)
            run.interrupt();
    });
    run.on_done = [&] {
        boost::system::error_code ignored;
        signals.clear(ignored); // SIGINT and SIGTERM stop the process again while the last handlers drain
        signals.cancel(ignored);
    };
    run.start();
    ioc.run();
    return run.report();
}
