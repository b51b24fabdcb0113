// rtnotify-server: the reference server. Bayeux (long-polling, JSONP,
// WebSocket), SmartREST templates and real-time, Kuzzle's WebSocket API
// (filter rooms), on the endpoints given.
// SPDX-License-Identifier: BSL-1.0
//
#include <rtnotify/beast/kuzzle_service.hpp>
#include <rtnotify/beast/memory_budget.hpp>
#include <rtnotify/beast/server.hpp>
#include <rtnotify/beast/server_group.hpp>
#include <rtnotify/beast/server_tls.hpp>
#include <rtnotify/detail/random.hpp>
#include <rtnotify/session/configured_policy.hpp>

#include "../input_file.hpp"
#include "cluster.hpp"
#include "config_options.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <sched.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdint>
#include <ctime>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace {

namespace asio = boost::asio;

constexpr char const* usage = R"(usage: rtnotify-server [options]

Serves Bayeux on /bayeux (JSON and form POST, JSONP GET, WebSocket),
SmartREST template registration on /s and SmartREST real-time (X-Id) on
/notification/realtime, /cep/realtime, /devicecontrol/notifications and
/notification/operations, and Kuzzle's WebSocket API (filter rooms, the
realtime and document controllers) on /. Prints "listening on http://HOST:PORT" on stdout
(https:// for --listen-tls) for each endpoint once it accepts; logs events to
stderr. Stops on SIGINT or SIGTERM after answering held connects; reads its
TLS certificate and key again on SIGHUP.

Endpoints and TLS:
  --listen HOST:PORT     endpoint (repeatable; default 127.0.0.1:8080 unless
                         --listen-tls is given; port 0 picks a free one;
                         IPv6 as [::1]:8080; a host name listens on every
                         address it resolves to)
  --listen-tls HOST:PORT an HTTPS and WSS endpoint (repeatable): every route
                         of --listen behind TLS 1.2 or 1.3; needs --tls-cert
                         and --tls-key
  --tls-cert FILE        the certificate chain (PEM: the server's first, then
                         its intermediates)
  --tls-key FILE         its private key (PEM); both files are read again on
                         SIGHUP (a renewed certificate serves new
                         connections; on an error the old one stays, logged)

Configuration and security:
  --config FILE          the configuration (JSON). "server": any option of
                         this list by its name without the dashes, as if
                         given before the others ({"listen": ["0.0.0.0:80"],
                         "max-queue": 500, "quiet": true}; docs/server.md).
                         The other members are the security configuration
                         (users, roles, Bayeux channel rules, Kuzzle rights,
                         tokens, login limits; docs/security.md); without
                         them the Bayeux endpoint, SmartREST and the Kuzzle
                         API are open to everyone
  --hash-password        read a password on standard input, print its hash
                         for the configuration (yescrypt), and exit
  --allow-origin ORIGIN  a browser origin that may call with credentials
                         (repeatable; "*": any origin, without credentials,
                         the default; "none": no cross-origin calls and no
                         WebSocket upgrade that carries an Origin); wins
                         over the --config file's cors.origins

Bayeux sessions:
  --timeout MS           how long a connect is held (default 20000)
  --interval MS          advice.interval (default 0)
  --max-interval MS      a session without a connect for this long expires
                         (default 10000)
  --max-sessions N       Bayeux sessions (default 100000)
  --max-sessions-per-address N
                         Bayeux sessions one client address holds, on all
                         threads together (default 1000)
  --max-subscriptions N  channels and patterns per session (default 1000)
  --max-total-subscription-bytes BYTES
                         every session's subscriptions together, each twice
                         its channel's length plus 512 (default 67108864)
  --max-queue N          undelivered messages per session (default 1000)
  --max-queue-bytes BYTES
                         their JSON, per session (default 8388608)
  --max-total-queue-bytes BYTES
                         every queue together: each message's JSON once,
                         however many sessions it waits for, plus 64 per
                         queue entry (default 67108864)
  --timesync-skew MS     add MS (-86400000 to 86400000) to the clock the
                         server reports in CometD timesync replies, to see
                         how clients handle a server whose clock is off
                         (default 0: the system clock)

Connections, requests and memory:
  --max-connections N    open sockets (default 10000)
  --max-connections-per-address N
                         open sockets from one client address, all threads
                         together (default 1000)
  --max-header BYTES     request line and headers (default 8192; at least 512)
  --max-body BYTES       request body (default 1048576)
  --max-ws-message BYTES one WebSocket message (default 1048576; a Bayeux
                         batch also within --max-body)
  --max-ws-backlog BYTES unsent WebSocket bytes per socket (default 8388608)
  --max-buffered BYTES   what all connections buffer together: bodies and
                         messages being read, responses and frames being
                         written (default 268435456)
  --max-buffered-per-address BYTES
                         what connections from one client address may buffer
                         reading bodies and messages, on all threads together
                         (default 33554432)
  --idle MS              idle time before a connection is closed (default 60000)
  --write-timeout MS     time to write a response (default 30000)

SmartREST:
  --keep-alive MS        SmartREST keep-alive space on held connects
                         (default 600000)
  --max-template-collections N
                         template collections (X-Ids) registered
                         (default 10000)
  --max-template-collections-per-address N
                         collections one client address registers
                         (default 1000)
  --max-template-bytes BYTES
                         every collection's fields together
                         (default 67108864)

Kuzzle: WebSocket, HTTP, MQTT and Socket.IO:
  --kuzzle PATH          where Kuzzle's WebSocket API is (default /; "none":
                         nowhere, and no HTTP API); Kuzzle's HTTP API answers
                         on the paths the other protocols leave
  --kuzzle-pending-notifications
                         also send Kuzzle 1's "a document is about to be
                         created, replaced or deleted" notifications, to
                         subscriptions with state "pending" or "all" (Kuzzle
                         2, the default, sends only changes made)
  --mqtt HOST:PORT       also serve Kuzzle's MQTT protocol there (repeatable;
                         requests on Kuzzle/request, responses on
                         Kuzzle/response, notifications on their channel's
                         topic; plain MQTT pub/sub with --kuzzle none); prints
                         "listening on mqtt://HOST:PORT"
  --mqtt-tls HOST:PORT   the same over TLS (repeatable; MQTT's port 8883),
                         with --tls-cert and --tls-key; prints "listening on
                         mqtts://HOST:PORT"
  --mqtt-allow-pubsub    MQTT clients may publish to any topic but
                         Kuzzle/response (Kuzzle's allowPubSub)
  --mqtt-development-mode
                         responses go to every subscriber of Kuzzle/response,
                         for command-line clients (Kuzzle's developmentMode)
  --mqtt-max-sessions N  MQTT sessions, connected or kept (default 10000)
  --mqtt-max-packet BYTES
                         one MQTT packet (default 1048576)
  --socketio PATH        where Kuzzle's Socket.IO protocol is (default
                         /socket.io/; "none", or --kuzzle none: nowhere):
                         Engine.IO 3 and 4, polling and WebSocket; requests
                         are "kuzzle" events, responses come as events named
                         by their requestId, notifications as events named
                         by their channel
  --socketio-max-sessions N
                         Socket.IO sessions (default 10000)
  --socketio-max-sessions-per-address N
                         Socket.IO sessions of one client address
                         (default 1000)
  --socketio-ping-interval MS
                         Engine.IO heartbeat interval (default 25000)
  --socketio-ping-timeout MS
                         how long a heartbeat may be late (default 20000)

Cluster (docs/scale-out.md):
  --redis URL            join the nodes that use the same Redis server and
                         channel: every Bayeux publish accepted here reaches
                         their subscribers, and theirs reach this node's;
                         SmartREST templates registered on one node serve
                         devices on all; Kuzzle's document changes and
                         publishes notify the rooms of every node and fill
                         every node's store, room counts and users in and
                         out are the cluster's; MQTT publishes reach every
                         node's subscribers, retained ones every node;
                         redis://[[USER]:PASSWORD@]HOST[:PORT][/DB] or
                         unix:/PATH; reconnects by itself when Redis is
                         away, and counts what could not cross meanwhile
                         (metrics rtnotify_cluster_*)
  --redis-channel NAME   the Redis channel of the cluster (default rtnotify)
  --node-id ID           this node's name on the bus and the `node` of its
                         Kuzzle notifications, 1 to 64 characters of
                         [A-Za-z0-9_-] (default: 16 random characters, new at
                         every start)

Operations:
  --threads N            serve on N threads (1 to 62; default: one per core it
                         may run on): one server per thread on the same
                         ports, the kernel spreading the connections; a
                         Bayeux session stays on the thread that made it,
                         SmartREST, Kuzzle, Socket.IO, MQTT, TLS and
                         /metrics on the first; a browser's sessions and
                         WebSockets on the thread its cookie names;
                         server-wide limits are split among them, limits per
                         address hold for all together; with
                         --redis, the first talks to Redis for all
                         (docs/server.md)
  --metrics PATH         where GET answers the server's metrics in Prometheus'
                         text format (default /metrics; "none": nowhere); no
                         credentials: restrict it on the network
  --health PATH          where GET answers {"status":"ok"} (200), or
                         {"status":"stopping"} (503) once stopping (default
                         /health; "none": nowhere)
  --quiet                no event log
  --access-log           a line per HTTP response and WebSocket upgrade on
                         stderr: peer address, method, path without its query,
                         status, body bytes, milliseconds since the request
                         arrived (a held connect: its hold); no header, no
                         query string, so no client id or credential
  --log-format FORMAT    text (the default: a UTC time, then the event) or
                         json (one object per line: {"time","type":"event",
                         "message"} and {"time","type":"access","peer",
                         "method","path","status","bytes","ms","tls"})

Counts and sizes must be at least 1; times run from 0 (--timeout,
--interval, --max-interval) or 1 ms (--keep-alive, --idle, --write-timeout)
to 86400000 ms (one day). A value out of range is refused with the setting
it breaks. docs/server.md lists every limit and what a client sees at it.

  --help                 this text
)";

/// `HOST:PORT` or `[V6]:PORT` split; the host may be a name (`localhost`).
std::optional<std::pair<std::string, unsigned short>> split_endpoint(std::string_view s)
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
    if(ec != std::errc() || end != port.data() + port.size() || port.empty() || host.empty())
        return std::nullopt;
    return std::pair{std::string(host), p};
}

/// The endpoints of `HOST:PORT`: an address, or every address a host name resolves to.
std::vector<asio::ip::tcp::endpoint> resolve_endpoint(std::string const& host, unsigned short port,
                                                      boost::system::error_code& ec)
{
    std::vector<asio::ip::tcp::endpoint> out;
    if(auto const address = asio::ip::make_address(host, ec); !ec)
        return {asio::ip::tcp::endpoint(address, port)};
    asio::io_context ioc;
    asio::ip::tcp::resolver resolver(ioc);
    for(auto const& r : resolver.resolve(host, std::to_string(port), asio::ip::resolver_base::passive, ec))
        out.push_back(r.endpoint());
    return out;
}

/// A whole number from 0 to INT64_MAX.
std::optional<std::int64_t> parse_number(std::string_view s)
{
    std::int64_t v = 0;
    auto const [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if(ec != std::errc() || end != s.data() + s.size() || s.empty() || v < 0)
        return std::nullopt;
    return v;
}

using ms = std::chrono::milliseconds;

/// A numeric option: its flag, the setting it sets (as `check_settings` names it) and how.
struct number_option
{
    std::string_view flag;
    std::string_view setting;
    void (*set)(rtnotify::beast::server_options&, std::int64_t);
};

constexpr number_option number_options[] = {
    {"--timeout", "session.timeout", [](auto& o, std::int64_t n) { o.session.timeout = ms(n); }},
    {"--interval", "session.interval", [](auto& o, std::int64_t n) { o.session.interval = ms(n); }},
    {"--max-interval", "session.max_interval", [](auto& o, std::int64_t n) { o.session.max_interval = ms(n); }},
    {"--max-sessions", "session.max_sessions",
     [](auto& o, std::int64_t n) { o.session.max_sessions = static_cast<std::size_t>(n); }},
    {"--max-sessions-per-address", "session.max_sessions_per_owner",
     [](auto& o, std::int64_t n) { o.session.max_sessions_per_owner = static_cast<std::size_t>(n); }},
    {"--max-subscriptions", "session.max_subscriptions",
     [](auto& o, std::int64_t n) { o.session.max_subscriptions = static_cast<std::size_t>(n); }},
    {"--max-total-subscription-bytes", "session.max_total_subscription_bytes",
     [](auto& o, std::int64_t n) { o.session.max_total_subscription_bytes = static_cast<std::size_t>(n); }},
    {"--max-queue", "session.max_queue", [](auto& o, std::int64_t n) { o.session.max_queue = static_cast<std::size_t>(n); }},
    {"--max-queue-bytes", "session.max_queue_bytes",
     [](auto& o, std::int64_t n) { o.session.max_queue_bytes = static_cast<std::size_t>(n); }},
    {"--max-total-queue-bytes", "session.max_total_queue_bytes",
     [](auto& o, std::int64_t n) { o.session.max_total_queue_bytes = static_cast<std::size_t>(n); }},
    {"--max-buffered", "max_buffered_bytes",
     [](auto& o, std::int64_t n) { o.max_buffered_bytes = static_cast<std::size_t>(n); }},
    {"--max-buffered-per-address", "max_buffered_bytes_per_address",
     [](auto& o, std::int64_t n) { o.max_buffered_bytes_per_address = static_cast<std::size_t>(n); }},
    {"--max-connections", "max_connections",
     [](auto& o, std::int64_t n) { o.max_connections = static_cast<std::size_t>(n); }},
    {"--max-connections-per-address", "max_connections_per_address",
     [](auto& o, std::int64_t n) { o.max_connections_per_address = static_cast<std::size_t>(n); }},
    {"--max-header", "max_header_bytes", [](auto& o, std::int64_t n) { o.max_header_bytes = static_cast<std::size_t>(n); }},
    {"--max-body", "max_body_bytes",
     [](auto& o, std::int64_t n) { o.max_body_bytes = o.http.limits.max_body_size = static_cast<std::size_t>(n); }},
    {"--max-ws-message", "max_ws_message_bytes",
     [](auto& o, std::int64_t n) { o.max_ws_message_bytes = static_cast<std::size_t>(n); }},
    {"--max-ws-backlog", "max_ws_backlog_bytes",
     [](auto& o, std::int64_t n) { o.max_ws_backlog_bytes = static_cast<std::size_t>(n); }},
    {"--write-timeout", "write_timeout", [](auto& o, std::int64_t n) { o.write_timeout = ms(n); }},
    {"--keep-alive", "smartrest_keep_alive", [](auto& o, std::int64_t n) { o.smartrest_keep_alive = ms(n); }},
    {"--idle", "idle_timeout", [](auto& o, std::int64_t n) { o.idle_timeout = ms(n); }},
    {"--max-template-collections", "templates.max_collections",
     [](auto& o, std::int64_t n) { o.templates.max_collections = static_cast<std::size_t>(n); }},
    {"--max-template-collections-per-address", "templates.max_collections_per_owner",
     [](auto& o, std::int64_t n) { o.templates.max_collections_per_owner = static_cast<std::size_t>(n); }},
    {"--max-template-bytes", "templates.max_total_bytes",
     [](auto& o, std::int64_t n) { o.templates.max_total_bytes = static_cast<std::size_t>(n); }},
    {"--mqtt-max-sessions", "mqtt.broker.max_sessions",
     [](auto& o, std::int64_t n) { o.mqtt.broker.max_sessions = static_cast<std::size_t>(n); }},
    {"--mqtt-max-packet", "mqtt.limits.max_packet_bytes",
     [](auto& o, std::int64_t n) { o.mqtt.limits.max_packet_bytes = static_cast<std::size_t>(n); }},
    {"--socketio-max-sessions", "socketio.max_sessions",
     [](auto& o, std::int64_t n) { o.socketio.max_sessions = static_cast<std::size_t>(n); }},
    {"--socketio-max-sessions-per-address", "socketio.max_sessions_per_address",
     [](auto& o, std::int64_t n) { o.socketio.max_sessions_per_address = static_cast<std::size_t>(n); }},
    {"--socketio-ping-interval", "socketio.socket.ping_interval",
     [](auto& o, std::int64_t n) { o.socketio.socket.ping_interval = ms(n); }},
    {"--socketio-ping-timeout", "socketio.socket.ping_timeout",
     [](auto& o, std::int64_t n) { o.socketio.socket.ping_timeout = ms(n); }},
};

/// The UTC time now, as 2026-12-04T09:30:00Z.
std::string utc_now()
{
    auto const t = std::time(nullptr);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
    return stamp;
}

/// One log line on stderr, with the UTC time.
void log_line(std::string_view line)
{
    std::cerr << utc_now() << ' ' << line << '\n';
}

/// One log line on stderr as a JSON object: {"time":...,"type":"event","message":...}.
void log_json(std::string_view line)
{
    boost::json::object o{{"time", utc_now()}, {"type", "event"}, {"message", line}};
    std::cerr << boost::json::serialize(o) << '\n';
}

/// One access log line on stderr: text, or a JSON object of type "access".
void log_access(rtnotify::beast::access_entry const& e, bool json)
{
    auto const elapsed_ms = static_cast<std::int64_t>(e.elapsed.count());
    if(json)
    {
        boost::json::object o{{"time", utc_now()}, {"type", "access"},   {"peer", e.peer},     {"method", e.method},
                              {"path", e.path},    {"status", e.status}, {"bytes", e.body_bytes}, {"ms", elapsed_ms},
                              {"tls", e.tls}};
        std::cerr << boost::json::serialize(o) << '\n';
        return;
    }
    std::cerr << utc_now() << " access " << e.peer << ' ' << (e.method.empty() ? "-" : e.method) << ' '
              << (e.path.empty() ? "-" : e.path) << ' ' << e.status << ' ' << e.body_bytes << " B " << elapsed_ms << " ms"
              << (e.tls ? " tls" : "") << '\n';
}

/// The cores this process may run on (its affinity: `taskset`, a container's cpuset), the default of `--threads`.
std::size_t usable_cores()
{
    cpu_set_t set;
    CPU_ZERO(&set);
    if(sched_getaffinity(0, sizeof set, &set) == 0)
        return static_cast<std::size_t>(CPU_COUNT(&set));
    return std::thread::hardware_concurrency(); // 0 when unknown
}

} // namespace

/// Bayeux, SmartREST and MQTT check passwords with `passwords` (one authenticator: failures on one count on the others).
void use_passwords(rtnotify::beast::server_options& opts, std::shared_ptr<rtnotify::auth::authenticator> passwords)
{
    opts.session.policy = rtnotify::session::configured_policy(passwords);
    opts.smartrest_credentials = [passwords](std::string_view authorization, std::string_view address,
                                             rtnotify::session::time_point now) {
        auto const ms = rtnotify::session::milliseconds_of(now);
        return passwords->check_basic(authorization, std::string(address), ms).verdict ==
               rtnotify::auth::password_verdict::accepted;
    };
    opts.mqtt.credentials = [passwords](std::string_view user, std::string_view password, std::string_view address,
                                        rtnotify::session::time_point now) {
        auto const ms = rtnotify::session::milliseconds_of(now);
        switch(passwords->check(user, password, std::string(address), ms))
        {
        case rtnotify::auth::password_verdict::accepted: return rtnotify::mqtt::connect_code::accepted;
        case rtnotify::auth::password_verdict::wrong: return rtnotify::mqtt::connect_code::bad_user_name_or_password;
        case rtnotify::auth::password_verdict::too_many_failures: break;
        }
        return rtnotify::mqtt::connect_code::not_authorized;
    };
}

int main(int argc, char** argv)
{
    rtnotify::beast::server_options opts;
    bool quiet = false;
    bool access_log = false;
    bool json_log = false;
    std::vector<asio::ip::tcp::endpoint> endpoints;
    std::vector<asio::ip::tcp::endpoint> tls_endpoints;
    std::vector<asio::ip::tcp::endpoint> mqtt_endpoints;
    std::vector<asio::ip::tcp::endpoint> mqtt_tls_endpoints;
    std::string tls_cert;
    std::string tls_key;
    std::string_view kuzzle_path = "/";
    std::string_view socketio_path = "/socket.io/";
    rtnotify::rooms::kuzzle_api_options kuzzle_opts;
    std::optional<rtnotify::redis::bus_options> cluster_opts;
    std::string redis_channel = "rtnotify";
    std::string node_id;
    std::string cluster_flag; // --redis-channel or --node-id as given, which need --redis
    std::size_t threads = std::clamp<std::size_t>(usable_cores(), 1, rtnotify::beast::shard_tags.size());

    // the --config file's `server` options come first, as if written before the command line's
    rtnotify_examples::named_arguments named;
    std::vector<std::string_view> const given(argv + 1, argv + argc);
    if(std::count(given.begin(), given.end(), "--config") > 1)
    {
        std::cerr << "rtnotify-server: --config is given twice: one configuration file at most\n";
        return 2;
    }
    // the file is read once: its server options and its security come from the same text
    std::string config_text, config_unreadable;
    boost::json::value config; // null when the file is not JSON
    if(auto const c = std::find(given.begin(), given.end(), "--config"); c != given.end() && c + 1 != given.end())
    {
        std::string const path(*(c + 1));
        config_unreadable = rtnotify_examples::why_unreadable(path);
        if(config_unreadable.empty())
        {
            config_text = rtnotify_examples::text_of(path);
            boost::system::error_code ec;
            config = boost::json::parse(config_text, ec); // not JSON: said where --config is read below
        }
        if(auto const why = rtnotify_examples::append_server_section(config, path, named))
        {
            std::cerr << "rtnotify-server: --config " << *why << '\n';
            return 2;
        }
    }
    for(auto const a : given)
        named.add(a);
    auto const& args = named.args;
    std::map<std::string_view, std::string> number_origin; // how each number option given is named in errors
    bool origins_given = false;
    for(std::size_t i = 0; i < args.size(); ++i)
    {
        auto const a = args[i];
        auto const& shown = named.names[i];
        if(a == "--help" || a == "-h")
        {
            std::cout << usage;
            return 0;
        }
        if(a == "--quiet")
        {
            quiet = true;
            continue;
        }
        if(a == "--access-log")
        {
            access_log = true;
            continue;
        }
        if(a == "--hash-password")
        {
            std::string password;
            std::getline(std::cin, password);
            auto const hash = rtnotify::auth::hash_password(password);
            if(!hash)
            {
                std::cerr << "rtnotify-server: --hash-password: libcrypt could not hash that password (over "
                          << rtnotify::auth::max_password_bytes << " bytes, or a NUL in it)\n";
                return 2;
            }
            std::cout << *hash << '\n';
            return 0;
        }
        if(a == "--kuzzle-pending-notifications")
        {
            kuzzle_opts.pending_notifications = true;
            continue;
        }
        if(a == "--mqtt-allow-pubsub" || a == "--mqtt-development-mode")
        {
            (a == "--mqtt-allow-pubsub" ? opts.mqtt.allow_pubsub : opts.mqtt.development_mode) = true;
            continue;
        }
        auto const* number = std::find_if(std::begin(number_options), std::end(number_options),
                                          [&](number_option const& o) { return o.flag == a; });
        bool const known =
            a == "--listen" || a == "--listen-tls" || a == "--tls-cert" || a == "--tls-key" || a == "--mqtt" ||
            a == "--mqtt-tls" || a == "--kuzzle" || a == "--socketio" || a == "--allow-origin" || a == "--config" ||
            a == "--metrics" || a == "--health" || a == "--timesync-skew" || a == "--log-format" || a == "--redis" ||
            a == "--redis-channel" || a == "--node-id" || a == "--threads" ||
            number != std::end(number_options);
        if(!known && named.from_file[i])
        {
            std::cerr << "rtnotify-server: --config " << shown << ": no such option, or a value given to a switch "
                      << "(a switch takes true or false; the names are those of --help, without the dashes)\n";
            return 2;
        }
        if(!known)
        {
            std::cerr << "rtnotify-server: unknown option '" << a << "' (see --help)\n";
            return 2;
        }
        if(i + 1 == args.size() || (named.from_file[i] && named.names[i + 1] != shown))
        {
            std::cerr << "rtnotify-server: " << shown << " needs a value (see --help)\n";
            return 2;
        }
        auto const v = args[++i];
        if(a == "--listen" || a == "--listen-tls" || a == "--mqtt" || a == "--mqtt-tls")
        {
            auto const hp = split_endpoint(v);
            if(!hp)
            {
                std::cerr << "rtnotify-server: " << shown << " takes HOST:PORT or [IPV6]:PORT, not '" << v << "'\n";
                return 2;
            }
            boost::system::error_code ec;
            auto const found = resolve_endpoint(hp->first, hp->second, ec);
            if(found.empty())
            {
                std::cerr << "rtnotify-server: " << shown << " " << v << ": cannot resolve '" << hp->first
                          << "': " << ec.message() << '\n';
                return 2;
            }
            auto& to = a == "--listen"       ? endpoints
                       : a == "--listen-tls" ? tls_endpoints
                       : a == "--mqtt"       ? mqtt_endpoints
                                             : mqtt_tls_endpoints;
            to.insert(to.end(), found.begin(), found.end());
        }
        else if(a == "--log-format")
        {
            if(v != "text" && v != "json")
            {
                std::cerr << "rtnotify-server: " << shown << " takes text or json, not '" << v << "'\n";
                return 2;
            }
            json_log = v == "json";
        }
        else if(a == "--tls-cert" || a == "--tls-key")
            (a == "--tls-cert" ? tls_cert : tls_key) = std::string(v);
        else if(a == "--config")
        {
            std::string const path(v);
            if(!config_unreadable.empty())
            {
                std::cerr << "rtnotify-server: --config " << config_unreadable << '\n';
                return 2;
            }
            // a file of server options alone leaves the security as it is without --config
            if(config.is_object() && config.get_object().size() == 1 && config.get_object().contains("server"))
                continue;
            auto security = rtnotify::auth::parse_security_config(config_text); // says where the text is not JSON
            if(!security)
            {
                std::cerr << "rtnotify-server: --config " << path << ": " << security.error().to_string() << '\n';
                return 2;
            }
            kuzzle_opts.security = std::make_shared<rtnotify::auth::security_config const>(std::move(*security));
            // Bayeux, SmartREST and MQTT share one authenticator (the hub's clock); the Kuzzle API has its own
            use_passwords(opts, std::make_shared<rtnotify::auth::authenticator>(kuzzle_opts.security));
        }
        else if(a == "--allow-origin")
        {
            if(!origins_given)
                opts.cors.origins.clear(); // the first one replaces the default "*"
            origins_given = true;
            if(v != "none")
                opts.cors.origins.emplace_back(v);
        }
        else if(a == "--metrics" || a == "--health")
        {
            if(v != "none" && !v.starts_with('/'))
            {
                std::cerr << "rtnotify-server: " << shown << " takes a path starting with '/' or 'none', not '" << v << "'\n";
                return 2;
            }
            (a == "--metrics" ? opts.metrics_path : opts.health_path) = v == "none" ? std::string() : std::string(v);
        }
        else if(a == "--kuzzle" || a == "--socketio")
        {
            if(v != "none" && !v.starts_with('/'))
            {
                std::cerr << "rtnotify-server: " << shown << " takes a path starting with '/' or 'none', not '" << v << "'\n";
                return 2;
            }
            (a == "--kuzzle" ? kuzzle_path : socketio_path) = v;
        }
        else if(a == "--redis")
        {
            auto parsed = rtnotify::redis::parse_address(v);
            if(auto const* why = std::get_if<std::string>(&parsed))
            {
                std::cerr << "rtnotify-server: " << shown << ": " << *why << '\n';
                return 2;
            }
            cluster_opts.emplace().where = std::get<rtnotify::redis::address>(std::move(parsed));
        }
        else if(a == "--redis-channel" || a == "--node-id")
        {
            if(a == "--node-id" ? !rtnotify::cluster::is_node_id(v) : v.empty())
            {
                std::cerr << "rtnotify-server: " << shown << " takes "
                          << (a == "--node-id" ? "1 to 64 characters of [A-Za-z0-9_-]" : "a channel name") << ", not '" << v
                          << "'\n";
                return 2;
            }
            (a == "--node-id" ? node_id : redis_channel) = std::string(v);
            cluster_flag = shown;
        }
        else if(a == "--threads")
        {
            auto const n = parse_number(v);
            if(!n || *n < 1 || *n > static_cast<std::int64_t>(rtnotify::beast::shard_tags.size()))
            {
                std::cerr << "rtnotify-server: " << shown << " takes a number of threads from 1 to "
                          << rtnotify::beast::shard_tags.size() << ", not '" << v << "'\n";
                return 2;
            }
            threads = static_cast<std::size_t>(*n);
        }
        else if(a == "--timesync-skew")
        {
            std::int64_t skew = 0;
            auto const [end, ec] = std::from_chars(v.data(), v.data() + v.size(), skew);
            if(v.empty() || ec != std::errc() || end != v.data() + v.size() || skew < -86400000 || skew > 86400000)
            {
                std::cerr << "rtnotify-server: --timesync-skew takes milliseconds from -86400000 to 86400000, not '" << v
                          << "'\n";
                return 2;
            }
            opts.session.wall_clock_ms = [skew] {
                return std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count() +
                       skew;
            };
        }
        else if(auto const n = parse_number(v))
        {
            number->set(opts, *n);
            number_origin[number->flag] = shown;
        }
        else
        {
            std::cerr << "rtnotify-server: " << shown << " takes a whole number up to 9223372036854775807, not '" << v << "'\n";
            return 2;
        }
    }
    if(!cluster_flag.empty() && !cluster_opts)
    {
        std::cerr << "rtnotify-server: " << cluster_flag << " needs --redis (see --help)\n";
        return 2;
    }
    if(!quiet)
        opts.log = json_log ? log_json : log_line;
    if(access_log)
        opts.access_log = [json_log](rtnotify::beast::access_entry const& e) { log_access(e, json_log); };
    if(endpoints.empty() && tls_endpoints.empty())
        endpoints.emplace_back(asio::ip::make_address("127.0.0.1"), 8080);
    std::shared_ptr<asio::ssl::context> tls;
    bool const tls_listener = !tls_endpoints.empty() || !mqtt_tls_endpoints.empty();
    if(tls_listener || !tls_cert.empty() || !tls_key.empty())
    {
        if(!tls_listener || tls_cert.empty() || tls_key.empty())
        {
            std::cerr << "rtnotify-server: --listen-tls (or --mqtt-tls), --tls-cert and --tls-key go together (see --help)\n";
            return 2;
        }
        auto loaded = rtnotify::beast::load_server_tls(tls_cert, tls_key);
        if(auto const* why = std::get_if<std::string>(&loaded))
        {
            std::cerr << "rtnotify-server: " << *why << '\n';
            return 2;
        }
        tls = std::get<0>(std::move(loaded));
    }
    if(opts.session.max_client_timeout < opts.session.timeout)
        opts.session.max_client_timeout = opts.session.timeout;
    if(auto const bad = rtnotify::beast::check_settings(opts))
    {
        auto const* by = std::find_if(std::begin(number_options), std::end(number_options),
                                      [&](number_option const& o) { return o.setting == bad->name; });
        std::string named_as;
        if(by != std::end(number_options))
            named_as = number_origin.contains(by->flag) ? number_origin[by->flag] : std::string(by->flag);
        std::cerr << "rtnotify-server: " << (named_as.empty() ? std::string() : named_as + ": ") << bad->to_string()
                  << '\n';
        return 2;
    }
    if(kuzzle_path != "none")
    {
        if(cluster_opts)
        {
            kuzzle_opts.keep_changes = true; // the other nodes' rooms hear of this node's changes
            if(node_id.empty())
                node_id = rtnotify::detail::random_id(16);
            kuzzle_opts.node = node_id; // the `node` of Kuzzle's notifications, as in a Kuzzle cluster
        }
        auto kuzzle = std::make_shared<rtnotify::beast::kuzzle_service>(kuzzle_opts);
        opts.ws_services.emplace(kuzzle_path, kuzzle);
        opts.http_api = kuzzle; // Kuzzle's HTTP routes, on the paths the other protocols leave
        opts.mqtt.service = kuzzle; // one API behind every transport: they share rooms and documents
        if(socketio_path != "none")
        {
            opts.socketio.service = kuzzle;
            opts.socketio.path = socketio_path;
        }
    }

    if(kuzzle_opts.security && kuzzle_opts.security->cors_origins && !origins_given)
        opts.cors.origins = *kuzzle_opts.security->cors_origins; // the command line wins
    if(opts.log && !kuzzle_opts.security)
        opts.log("no --config: the Bayeux endpoint, SmartREST and the Kuzzle API are open to everyone (a development "
                 "server; docs/security.md)");
    std::optional<rtnotify::beast::server_group> group;
    std::optional<cluster_link> cluster; // after the group: its timers and sockets go before the io_context
    if(cluster_opts)
    {
        cluster_opts->channel = redis_channel;
        cluster_opts->node_id = node_id;
        cluster.emplace(*cluster_opts);
    }
    group.emplace(threads, [&](std::size_t shard) {
        auto o = opts;
        if(cluster)
            cluster->hook(o, shard);
        if(shard != 0 && kuzzle_opts.security) // an authenticator is used by one thread: each shard has its own
            use_passwords(o, std::make_shared<rtnotify::auth::authenticator>(kuzzle_opts.security));
        return o;
    });
    auto& ioc = group->context(0);
    auto& srv = group->shard(0);
    if(opts.log)
        opts.log("memory budget: " + std::to_string(group->memory_budget() >> 20) + " MiB, whatever clients send" +
                 (threads > 1 ? " (" + std::to_string(threads) + " threads)" : std::string()) + " (docs/server.md)");
    for(auto const& e : endpoints)
        if(auto ec = group->listen(e))
        {
            std::cerr << "rtnotify-server: cannot listen on " << e << ": " << ec.message() << '\n';
            return 1;
        }
    for(auto const& e : tls_endpoints)
        if(auto ec = rtnotify::beast::listen_tls(srv, e, tls))
        {
            std::cerr << "rtnotify-server: cannot listen on https://" << e << ": " << ec.message() << '\n';
            return 1;
        }
    for(auto const& e : mqtt_endpoints)
        if(auto ec = srv.listen_mqtt(e))
        {
            std::cerr << "rtnotify-server: cannot listen on mqtt://" << e << ": " << ec.message() << '\n';
            return 1;
        }
    for(auto const& e : mqtt_tls_endpoints)
        if(auto ec = rtnotify::beast::listen_mqtt_tls(srv, e, tls))
        {
            std::cerr << "rtnotify-server: cannot listen on mqtts://" << e << ": " << ec.message() << '\n';
            return 1;
        }
    auto const announce = [](char const* scheme, asio::ip::tcp::endpoint const& e) {
        std::cout << "listening on " << scheme << "://" << (e.address().is_v6() ? "[" : "") << e.address().to_string()
                  << (e.address().is_v6() ? "]" : "") << ':' << e.port() << std::endl;
    };
    for(auto const& e : srv.endpoints())
        announce("http", e);
    for(auto const& e : srv.tls_endpoints())
        announce("https", e);
    for(auto const& e : srv.mqtt_endpoints())
        announce("mqtt", e);
    for(auto const& e : srv.mqtt_tls_endpoints())
        announce("mqtts", e);
    if(cluster)
        cluster->start(*group);

    // SIGHUP: the certificate and key are read again (renewed files serve new connections)
    asio::signal_set hangups(ioc, SIGHUP);
    std::function<void()> await_hangup = [&] {
        hangups.async_wait([&](boost::system::error_code ec, int) {
            if(ec)
                return;
            auto const say = [&](std::string const& line) {
                if(opts.log)
                    opts.log(line);
            };
            if(!tls)
                say("SIGHUP: no TLS listener, nothing to reload");
            else if(auto loaded = rtnotify::beast::load_server_tls(tls_cert, tls_key); loaded.index() == 0)
            {
                asio::dispatch(srv.executor(), [&srv, ctx = std::get<0>(std::move(loaded))]() mutable {
                    srv.replace_tls_context(std::move(ctx));
                });
                say("SIGHUP: TLS certificate and key read again from " + tls_cert + " and " + tls_key);
            }
            else
                say("SIGHUP: " + std::get<std::string>(loaded) + "; the previous certificate stays");
            await_hangup();
        });
    };
    await_hangup();

    asio::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&](boost::system::error_code ec, int) {
        if(!ec)
        {
            group->stop();
            hangups.cancel();
            if(cluster)
                cluster->stop();
        }
    });
    group->run();
    return 0;
}
