// rtnotify-device: a SmartREST device on any real-time endpoint (Cumulocity's or rtnotify-server's);
// prints the rows it receives as JSON lines.
// SPDX-License-Identifier: BSL-1.0
//
#include <rtnotify/beast/device_client.hpp>

#include "../reach_options.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <csignal>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace {

constexpr char const* usage = R"(usage: rtnotify-device URL --xid XID --channel CHANNEL... [options]

Runs the SmartREST 1.0 real-time loop of a device against URL, the real-time
endpoint (http or https://[user:password@]host[:port]/path, for instance
https://tenant.example.com/notification/realtime): handshake (80), subscribe
(81) each CHANNEL with the extra X-Ids, then long polls (83), following the
server's 86 advice, backing off after failures and handshaking again when the
server forgets the device. Prints every data row on stdout as one JSON line
{"xid":...,"id":...,"line":...,"values":[...]} ("xid": the X-Id whose
templates rendered it). Logs state changes ("connected as CLIENTID") and
errors to stderr. Stops after --count rows, after --for milliseconds, or on
SIGINT/SIGTERM, and then disconnects (84).

  --xid XID               the X-Id of every request (required): the device's
                          template collection, by name or by the id of its
                          20 reply
  --channel CHANNEL       a channel to subscribe (required, repeatable), e.g.
                          /<deviceId>
  --extra-xid XID         also render deliveries with XID's templates; those
                          rows come in 87 groups (repeatable)
  --reliable              ask for reliable push (80,true): batches (88) are
                          acknowledged and a batch sent twice is printed once
  --user NAME:PASSWORD    Basic authentication on every request
                          (instead of the URL's user:password)
  --header 'Name: value'  an extra header on every request (repeatable)
  --cacert FILE           trust the certificates of this PEM file instead of
                          the system store (https://)
  --insecure              do not check the server's certificate
  --count N               exit after N rows
  --for MS                exit after MS milliseconds
  --help                  this text

Exit status: 0 done, 1 stopped by the server (advice none), 2 usage.
)";


} // namespace

int main(int argc, char** argv)
{
    namespace rb = rtnotify::beast;
    namespace ss = rtnotify::session;
    std::vector<std::string_view> args(argv + 1, argv + argc);
    std::optional<std::string_view> url;
    rb::endpoint_options reach;
    rb::device_client_options opts;
    std::optional<std::uint64_t> count;
    std::optional<std::uint64_t> for_ms;
    for(std::size_t i = 0; i < args.size(); ++i)
    {
        auto const a = args[i];
        auto value = [&]() -> std::optional<std::string_view> {
            if(i + 1 == args.size())
            {
                std::cerr << "rtnotify-device: " << a << " needs a value (see --help)\n";
                return std::nullopt;
            }
            return args[++i];
        };
        if(a == "--help" || a == "-h")
        {
            std::cout << usage;
            return 0;
        }
        auto const taken = rtnotify_examples::take_reach_option("rtnotify-device", args, i, reach);
        if(taken == rtnotify_examples::option_taken::usage_error)
            return 2;
        if(taken == rtnotify_examples::option_taken::yes)
            continue;
        if(a == "--reliable")
            opts.device.reliable = true;
        else if(a == "--xid" || a == "--channel" || a == "--extra-xid")
        {
            auto v = value();
            if(!v)
                return 2;
            if(v->empty())
            {
                std::cerr << "rtnotify-device: " << a << " needs a non-empty value\n";
                return 2;
            }
            if(a == "--xid")
                opts.device.xid = std::string(*v);
            else if(a == "--channel")
                opts.device.channels.emplace_back(*v);
            else
                opts.device.extra_xids.emplace_back(*v);
        }
        else if(a == "--count" || a == "--for")
        {
            auto v = value();
            auto n = v ? rtnotify_examples::parse_number(*v) : std::nullopt;
            if(!n)
            {
                std::cerr << "rtnotify-device: " << a << " takes a number\n";
                return 2;
            }
            (a == "--count" ? count : for_ms) = n;
        }
        else if(a.starts_with("--"))
        {
            std::cerr << "rtnotify-device: unknown option " << a << " (see --help)\n";
            return 2;
        }
        else if(!url)
            url = a;
        else
        {
            std::cerr << "rtnotify-device: one URL only; channels go after --channel (see --help)\n";
            return 2;
        }
    }
    if(!url || opts.device.xid.empty() || opts.device.channels.empty())
    {
        std::cerr << "rtnotify-device: " << (!url ? "a URL" : opts.device.xid.empty() ? "--xid" : "a --channel")
                  << " is required (see --help)\n";
        return 2;
    }
    auto at = rb::parse_endpoint(*url, reach);
    if(auto const* why = std::get_if<std::string>(&at))
    {
        std::cerr << "rtnotify-device: " << *url << ": " << *why << '\n';
        return 2;
    }
    if(std::get<rb::endpoint>(at).path == "/")
    {
        std::cerr << "rtnotify-device: " << *url << ": give the real-time path, e.g. /notification/realtime\n";
        return 2;
    }

    boost::asio::io_context ioc;
    rb::device_client d(ioc.get_executor(), std::get<rb::endpoint>(std::move(at)), opts);
    boost::asio::steady_timer deadline(ioc);
    boost::asio::signal_set signals(ioc, SIGINT, SIGTERM);
    int status = 0;
    std::uint64_t printed = 0;

    auto stop = [&] {
        deadline.cancel();
        signals.cancel();
        d.close();
    };
    bool finishing = false;
    auto finish = [&] {
        if(finishing)
            return;
        finishing = true;
        signals.cancel();
        if(d.engine().client_id().empty())
            return stop();
        d.disconnect();
        // the 84's response ends it; a server that never answers cannot keep us
        deadline.expires_after(std::chrono::seconds(5));
        deadline.async_wait([&](boost::system::error_code ec) {
            if(!ec)
                stop();
        });
    };

    d.on_failure = [](std::string_view why) { std::cerr << "rtnotify-device: " << why << '\n'; };
    d.on_event = [&](ss::device_event& e) {
        if(auto* r = std::get_if<ss::rows_received>(&e))
        {
            for(auto const& row : r->group.rows)
            {
                if(count && printed >= *count)
                    break;
                boost::json::object line;
                line["xid"] = r->group.xid;
                line["id"] = row.msg_id;
                line["line"] = row.line ? boost::json::value(*row.line) : boost::json::value(nullptr);
                boost::json::array values;
                for(auto const& v : row.values)
                    values.emplace_back(v);
                line["values"] = std::move(values);
                std::cout << boost::json::serialize(line) << std::endl;
                ++printed;
            }
            if(count && printed >= *count)
                finish();
        }
        else if(auto* s = std::get_if<ss::device_state_changed>(&e))
        {
            if(s->state == ss::device_state::connected)
                std::cerr << "connected as " << d.engine().client_id() << std::endl;
            else if(s->state == ss::device_state::disconnected)
            {
                if(!finishing)
                {
                    std::cerr << "rtnotify-device: the server stopped the device (advice none)\n";
                    status = 1;
                }
                stop();
            }
        }
        else if(auto* f = std::get_if<ss::device_error>(&e))
            std::cerr << "rtnotify-device: " << f->what << '\n';
    };

    d.start();
    signals.async_wait([&](boost::system::error_code ec, int) {
        if(!ec)
            finish();
    });
    if(for_ms)
    {
        deadline.expires_after(std::chrono::milliseconds(*for_ms));
        deadline.async_wait([&](boost::system::error_code ec) {
            if(!ec)
                finish();
        });
    }
    ioc.run();
    return status;
}
