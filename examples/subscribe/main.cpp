// rtnotify-subscribe: subscribes to channels on any Bayeux server and prints
// the deliveries as JSON lines; publishes with --publish.
// SPDX-License-Identifier: BSL-1.0
//
#include <rtnotify/bayeux/encode.hpp>
#include <rtnotify/beast/client.hpp>

#include "../reach_options.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <chrono>
#include <csignal>
#include <iostream>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace {

constexpr char const* usage = R"(usage: rtnotify-subscribe URL [CHANNEL...] [options]

Subscribes to each CHANNEL (patterns with * and ** allowed) on the Bayeux
server at URL (http, https, ws or wss://[user:password@]host[:port]/path)
and prints every delivery on stdout as
one JSON line {"channel":...,"data":...}. Logs to stderr ("subscribed
CHANNEL" once the server confirmed it). Stops after --count deliveries, after
--for milliseconds, or on SIGINT/SIGTERM, and then disconnects.

  --publish CHANNEL JSON  publish JSON on CHANNEL once subscribed (repeatable);
                          without CHANNELs to subscribe, exit once all are
                          acknowledged
  --websocket             use WebSocket instead of long-polling
  --user NAME:PASSWORD    Basic authentication on every request and upgrade
                          (instead of the URL's user:password)
  --header 'Name: value'  an extra header on every request and upgrade
                          (repeatable; a cookie or a token, say)
  --cacert FILE           trust the certificates of this PEM file instead of
                          the system store (https:// and wss://)
  --insecure              do not check the server's certificate
  --count N               exit after N deliveries
  --for MS                exit after MS milliseconds
  --attempts N            give up after N failed attempts in a row before the
                          server first answers a handshake (default 3; each
                          failure is logged with its reason)
  --help                  this text

Exit status: 0 done, 1 refused or failed (handshake, subscribe, publish), 2 usage.
)";


} // namespace

int main(int argc, char** argv)
{
    namespace rb = rtnotify::beast;
    namespace ss = rtnotify::session;
    std::vector<std::string_view> args(argv + 1, argv + argc);
    std::optional<std::string_view> url;
    rb::endpoint_options reach;
    std::vector<std::string> channels;
    std::vector<std::pair<std::string, boost::json::value>> publishes;
    rb::client_options opts;
    std::optional<std::uint64_t> count;
    std::optional<std::uint64_t> for_ms;
    std::uint64_t attempts = 3;
    for(std::size_t i = 0; i < args.size(); ++i)
    {
        auto const a = args[i];
        auto value = [&]() -> std::optional<std::string_view> {
            if(i + 1 == args.size())
            {
                std::cerr << "rtnotify-subscribe: " << a << " needs a value (see --help)\n";
                return std::nullopt;
            }
            return args[++i];
        };
        if(a == "--help" || a == "-h")
        {
            std::cout << usage;
            return 0;
        }
        auto const taken = rtnotify_examples::take_reach_option("rtnotify-subscribe", args, i, reach);
        if(taken == rtnotify_examples::option_taken::usage_error)
            return 2;
        if(taken == rtnotify_examples::option_taken::yes)
            continue;
        if(a == "--websocket")
            opts.session.connection_types = {"websocket", "long-polling"};
        else if(a == "--publish")
        {
            auto ch = value();
            auto js = ch ? value() : std::nullopt;
            if(!js)
                return 2;
            boost::system::error_code ec;
            auto v = boost::json::parse(*js, ec);
            if(ec)
            {
                std::cerr << "rtnotify-subscribe: --publish " << *ch << ": not JSON: " << ec.message() << '\n';
                return 2;
            }
            publishes.emplace_back(std::string(*ch), std::move(v));
        }
        else if(a == "--count" || a == "--for" || a == "--attempts")
        {
            auto v = value();
            auto n = v ? rtnotify_examples::parse_number(*v) : std::nullopt;
            if(!n || (a == "--attempts" && *n == 0))
            {
                std::cerr << "rtnotify-subscribe: " << a << " takes a number" << (a == "--attempts" ? " from 1" : "")
                          << '\n';
                return 2;
            }
            if(a == "--attempts")
                attempts = *n;
            else
                (a == "--count" ? count : for_ms) = n;
        }
        else if(a.starts_with("--"))
        {
            std::cerr << "rtnotify-subscribe: unknown option " << a << " (see --help)\n";
            return 2;
        }
        else if(!url)
            url = a;
        else
            channels.emplace_back(a);
    }
    if(!url || (channels.empty() && publishes.empty()))
    {
        std::cerr << usage;
        return 2;
    }

    auto at = rb::parse_endpoint(*url, reach);
    if(auto const* why = std::get_if<std::string>(&at))
    {
        std::cerr << "rtnotify-subscribe: " << *url << ": " << *why << '\n';
        return 2;
    }

    boost::asio::io_context ioc;
    rb::client c(ioc.get_executor(), std::get<rb::endpoint>(std::move(at)), opts);
    boost::asio::steady_timer deadline(ioc);
    boost::asio::signal_set signals(ioc, SIGINT, SIGTERM);
    int status = 0;
    std::uint64_t received = 0;
    std::set<std::string> waiting_publishes;
    std::size_t waiting_subscribes = channels.size();
    bool published = false;

    auto stop = [&] {
        deadline.cancel();
        signals.cancel();
        c.close();
    };
    bool finishing = false;
    auto finish = [&](int s) {
        if(s > status)
            status = s;
        if(finishing)
            return;
        finishing = true;
        signals.cancel();
        if(c.engine().state() != ss::client_state::connected && c.engine().state() != ss::client_state::connecting)
            return stop();
        c.disconnect();
        // the reply ends it; a server that never answers cannot keep us
        deadline.expires_after(std::chrono::seconds(5));
        deadline.async_wait([&](boost::system::error_code ec) {
            if(!ec)
                stop();
        });
    };
    auto publish_all = [&] {
        if(published)
            return;
        published = true;
        for(auto& [ch, v] : publishes)
            waiting_publishes.insert(c.publish(ch, v));
    };

    bool answered = false; // the server answered a handshake once
    std::uint64_t failures = 0;
    c.on_failure = [&](std::string_view why) {
        std::cerr << "rtnotify-subscribe: " << why << '\n';
        if(!answered && ++failures >= attempts)
        {
            std::cerr << "rtnotify-subscribe: giving up after " << failures << " failed attempts\n";
            finish(1);
        }
    };
    c.on_event = [&](ss::client_event& e) {
        if(auto* d = std::get_if<ss::delivered>(&e))
        {
            boost::json::object line;
            line["channel"] = d->message.channel;
            line["data"] = d->message.data.value_or(nullptr);
            std::cout << boost::json::serialize(line) << std::endl;
            if(count && ++received >= *count)
                finish(0);
        }
        else if(auto* r = std::get_if<ss::replied>(&e))
        {
            auto const& m = r->reply;
            bool const ok = m.successful.value_or(false);
            auto const kind = rtnotify::bayeux::kind_of(m.channel);
            if(kind == rtnotify::bayeux::message_kind::handshake)
                answered = true;
            if(kind == rtnotify::bayeux::message_kind::disconnect)
                return stop();
            if(!ok && kind != rtnotify::bayeux::message_kind::connect)
            {
                std::cerr << "rtnotify-subscribe: refused: " << rtnotify::bayeux::encode(std::span(&m, 1)) << '\n';
                return finish(1);
            }
            if(kind == rtnotify::bayeux::message_kind::subscribe)
            {
                for(auto const& s : m.subscription.value_or(std::vector<std::string>{}))
                    std::cerr << "subscribed " << s << std::endl;
                if(waiting_subscribes > 0 && --waiting_subscribes == 0)
                    publish_all();
            }
            else if(kind == rtnotify::bayeux::message_kind::handshake && channels.empty())
                publish_all();
            else if(m.id && m.id->is_string() && waiting_publishes.erase(std::string(m.id->as_string())) &&
                    waiting_publishes.empty() && channels.empty())
                finish(0);
        }
        else if(auto* s = std::get_if<ss::state_changed>(&e))
        {
            if(s->state == ss::client_state::disconnected)
                stop();
        }
        else if(auto* f = std::get_if<ss::publish_failed>(&e))
        {
            std::cerr << "rtnotify-subscribe: publish to " << f->message.channel << " failed\n";
            finish(1);
        }
        else if(auto* l = std::get_if<ss::deliveries_lost>(&e))
            std::cerr << "rtnotify-subscribe: the server dropped " << l->dropped << " deliveries\n";
    };

    for(auto const& ch : channels)
        c.subscribe(ch);
    c.start();
    signals.async_wait([&](boost::system::error_code ec, int) {
        if(!ec)
            finish(0);
    });
    if(for_ms)
    {
        deadline.expires_after(std::chrono::milliseconds(*for_ms));
        deadline.async_wait([&](boost::system::error_code ec) {
            if(!ec)
                finish(0);
        });
    }
    ioc.run();
    return status;
}
