//
// rtnotify-server: the reference server. Bayeux (long-polling, JSONP,
// WebSocket), SmartREST templates and real-time, Kuzzle's WebSocket API
// (filter rooms), on the endpoints given.
//
#include <rtnotify/beast/kuzzle_service.hpp>
#include <rtnotify/beast/server.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/signal_set.hpp>

#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace asio = boost::asio;

constexpr char const* usage = R"(usage: rtnotify-server [options]

Serves Bayeux on /bayeux (JSON and form POST, JSONP GET, WebSocket),
SmartREST template registration on /s and SmartREST real-time (X-Id) on
/notification/realtime, /cep/realtime, /devicecontrol/notifications and
/notification/operations, and Kuzzle's WebSocket API (filter rooms, the
realtime and document controllers) on /. Prints "listening on http://HOST:PORT" on stdout
for each endpoint once it accepts; logs events to stderr. Stops on SIGINT or
SIGTERM after answering held connects.

  --listen HOST:PORT     endpoint (repeatable; default 127.0.0.1:8080; port 0
                         picks a free one; IPv6 as [::1]:8080)
  --timeout MS           how long a connect is held (default 20000)
  --interval MS          advice.interval (default 0)
  --max-interval MS      a session without a connect for this long expires
                         (default 10000)
  --max-connections N    open sockets (default 10000)
  --max-body BYTES       request body (default 1048576)
  --max-queue N          undelivered messages per session (default 1000)
  --keep-alive MS        SmartREST keep-alive space on held connects
                         (default 600000)
  --idle MS              idle time before a connection is closed (default 60000)
  --kuzzle PATH          where Kuzzle's WebSocket API is (default /; "none":
                         nowhere)
  --quiet                no event log
  --help                 this text
)";

/// `HOST:PORT` or `[V6]:PORT` as an endpoint.
std::optional<asio::ip::tcp::endpoint> parse_endpoint(std::string_view s)
{
    std::string_view host;
    std::string_view port;
    if(s.starts_with('['))
    {
        auto const close = s.find("]:");
        if(close == std::string_view::npos)
            return std::nullopt;
        host = s.substr(1, close - 1);
        port = s.substr(close + 2);
    }
    else
    {
        auto const colon = s.rfind(':');
        if(colon == std::string_view::npos)
            return std::nullopt;
        host = s.substr(0, colon);
        port = s.substr(colon + 1);
    }
    unsigned short p = 0;
    auto const [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
    if(ec != std::errc() || end != port.data() + port.size() || port.empty())
        return std::nullopt;
    boost::system::error_code bad;
    auto const address = asio::ip::make_address(std::string(host), bad);
    if(bad)
        return std::nullopt;
    return asio::ip::tcp::endpoint(address, p);
}

std::optional<std::uint64_t> parse_number(std::string_view s)
{
    std::uint64_t v = 0;
    auto const [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if(ec != std::errc() || end != s.data() + s.size() || s.empty())
        return std::nullopt;
    return v;
}

/// One log line on stderr, with the UTC time.
void log_line(std::string_view line)
{
    auto const t = std::time(nullptr);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    std::cerr << stamp << ' ' << line << '\n';
}

} // namespace

int main(int argc, char** argv)
{
    rtnotify::beast::server_options opts;
    opts.log = log_line;
    std::vector<asio::ip::tcp::endpoint> endpoints;
    std::string_view kuzzle_path = "/";

    std::vector<std::string_view> args(argv + 1, argv + argc);
    for(std::size_t i = 0; i < args.size(); ++i)
    {
        auto const a = args[i];
        if(a == "--help" || a == "-h")
        {
            std::cout << usage;
            return 0;
        }
        if(a == "--quiet")
        {
            opts.log = nullptr;
            continue;
        }
        if(i + 1 == args.size())
        {
            std::cerr << "rtnotify-server: " << a << " needs a value (see --help)\n";
            return 2;
        }
        auto const v = args[++i];
        auto const n = parse_number(v);
        auto need_number = [&] {
            if(!n)
                std::cerr << "rtnotify-server: " << a << " takes a number, not '" << v << "'\n";
            return n.has_value();
        };
        using ms = std::chrono::milliseconds;
        if(a == "--listen")
        {
            auto e = parse_endpoint(v);
            if(!e)
            {
                std::cerr << "rtnotify-server: --listen takes HOST:PORT, not '" << v << "'\n";
                return 2;
            }
            endpoints.push_back(*e);
        }
        else if(!need_number())
            return 2;
        else if(a == "--timeout")
            opts.session.timeout = ms(*n);
        else if(a == "--interval")
            opts.session.interval = ms(*n);
        else if(a == "--max-interval")
            opts.session.max_interval = ms(*n);
        else if(a == "--max-connections")
            opts.max_connections = *n;
        else if(a == "--max-body")
            opts.max_body_bytes = opts.http.limits.max_body_size = *n;
        else if(a == "--max-queue")
            opts.session.max_queue = *n;
        else if(a == "--kuzzle")
            kuzzle_path = v;
        else if(a == "--keep-alive")
            opts.smartrest_keep_alive = ms(*n);
        else if(a == "--idle")
            opts.idle_timeout = ms(*n);
        else
        {
            std::cerr << "rtnotify-server: unknown option " << a << " (see --help)\n";
            return 2;
        }
    }
    if(endpoints.empty())
        endpoints.push_back(*parse_endpoint("127.0.0.1:8080"));
    if(opts.session.max_client_timeout < opts.session.timeout)
        opts.session.max_client_timeout = opts.session.timeout;
    if(kuzzle_path != "none")
        opts.ws_services.emplace(kuzzle_path, std::make_shared<rtnotify::beast::kuzzle_service>());

    asio::io_context ioc;
    rtnotify::beast::server srv(ioc, opts);
    for(auto const& e : endpoints)
        if(auto ec = srv.listen(e))
        {
            std::cerr << "rtnotify-server: cannot listen on " << e << ": " << ec.message() << '\n';
            return 1;
        }
    for(auto const& e : srv.endpoints())
        std::cout << "listening on http://" << (e.address().is_v6() ? "[" : "") << e.address().to_string()
                  << (e.address().is_v6() ? "]" : "") << ':' << e.port() << std::endl;

    asio::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&](boost::system::error_code ec, int) {
        if(!ec)
            srv.stop();
    });
    ioc.run();
    return 0;
}
