// The server harness of the connection fuzz targets, compiled once for both (server_harness.hpp).
// SPDX-License-Identifier: BSL-1.0
#include "server_harness.hpp"

#include <rtnotify/beast/detail/http_connection.hpp>
#include <rtnotify/beast/kuzzle_service.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/_experimental/test/stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/detail/frame.hpp>
#include <boost/beast/websocket/detail/utf8_checker.hpp>

#include <chrono>
#include <memory>

namespace rtnotify_fuzz {

rtnotify::beast::server_options small_server_options()
{
    rtnotify::beast::server_options o;
    o.max_header_bytes = 1024;
    o.max_body_bytes = 4096;
    o.max_ws_message_bytes = 2048;
    o.max_ws_backlog_bytes = 8192;
    o.max_buffered_bytes = 16 * 1024;
    o.max_buffered_bytes_per_address = 8 * 1024;
    o.max_connections = 4;
    o.shutdown_grace = std::chrono::milliseconds(1);
    o.http.limits.max_messages = 16;
    o.session.max_sessions = 8;
    o.session.max_sessions_per_owner = 4;
    o.session.max_subscriptions = 16;
    o.session.max_queue = 8;
    o.session.max_queue_bytes = 4096;
    o.templates.max_collections = 4;
    rtnotify::rooms::kuzzle_api_options k;
    k.max_filter_bytes = 1024;
    k.max_rooms_bytes = 16 * 1024;
    auto kuzzle = std::make_shared<rtnotify::beast::kuzzle_service>(std::move(k));
    o.ws_services.emplace(std::string(kuzzle_path), kuzzle);
    o.socketio.service = kuzzle;
    o.socketio.max_sessions = 4;
    o.socketio.max_total_queued_bytes = 8 * 1024;
    o.socketio.socket.max_queued_bytes = 2048;
    o.socketio.socket.limits.max_payload_bytes = 2048;
    o.socketio.socket.limits.max_packets_per_payload = 8;
    o.log = [](std::string_view) {};
    return o;
}

std::string run_connection(rtnotify::beast::server_options opts, std::initializer_list<std::string_view> bursts,
                           std::size_t read_size)
{
    auto next = bursts.begin();
    return run_connection(
        std::move(opts),
        [&](std::string_view) -> std::optional<std::string> {
            if(next == bursts.end())
                return std::nullopt;
            return std::string(*next++);
        },
        read_size);
}

std::string run_connection(rtnotify::beast::server_options opts,
                           std::function<std::optional<std::string>(std::string_view written)> const& next_burst,
                           std::size_t read_size)
{
    check(!rtnotify::beast::check_settings(opts), "the harness's settings are valid");
    boost::asio::io_context ioc;
    boost::beast::test::stream peer(ioc);
    boost::beast::test::stream socket(ioc);
    socket.connect(peer);
    socket.read_size(read_size);

    auto hub = std::make_shared<rtnotify::beast::detail::hub>(ioc.get_executor(), std::move(opts));
    std::make_shared<rtnotify::beast::detail::basic_http_connection<boost::beast::test::stream>>(hub, std::move(socket),
                                                                                                  "192.0.2.1")
        ->run();
    auto const settle = [&] {
        for(int rounds = 0; ioc.poll() != 0; ++rounds)
            check(rounds < 100000, "input of a few KiB does not keep the server busy this long");
    };
    while(auto burst = next_burst(peer.str()))
    {
        boost::system::error_code ignored; // once the server has closed, what is left is not read
        boost::asio::write(peer, boost::asio::buffer(burst->data(), burst->size()), ignored);
        settle();
    }
    peer.close();
    settle();
    hub->stop();
    ioc.restart();
    ioc.run();
    check(hub->connection_count() == 0, "no connection counted open once all are closed");
    check(hub->buffers().used() == 0, "no byte counted in max_buffered_bytes once all connections are closed");
    return peer.str();
}

bool is_utf8(std::string_view text)
{
    return boost::beast::websocket::detail::check_utf8(text.data(), text.size());
}

std::size_t check_server_output(std::string_view out, std::string_view sent)
{
    namespace http = boost::beast::http;
    bool upgraded = false;
    while(!out.empty() && !upgraded)
    {
        http::response_parser<http::string_body> parser;
        parser.eager(true);
        boost::system::error_code ec;
        auto const used = parser.put(boost::asio::buffer(out.data(), out.size()), ec);
        check(!ec && parser.is_done(), "a whole HTTP response, never a part of one", out);
        auto const status = parser.get().result_int();
        check(status == 101 || status == 200 || (status >= 400 && status <= 431) || status == 503,
              "a status the server documents", out);
        upgraded = status == 101;
        out.remove_prefix(used);
    }
    std::size_t messages = 0;
    bool closed = false;
    while(!out.empty())
    {
        check(!closed && out.size() >= 2, "a whole frame header, and nothing after the close frame", out);
        auto const b0 = static_cast<unsigned char>(out[0]);
        auto const b1 = static_cast<unsigned char>(out[1]);
        check((b0 & 0x70) == 0 && (b1 & 0x80) == 0, "no reserved bits, no mask", out);
        std::size_t len = b1 & 0x7F;
        std::size_t head = 2;
        if(len >= 126)
        {
            std::size_t const bytes = len == 126 ? 2 : 8;
            check(out.size() >= 2 + bytes, "a whole frame length", out);
            len = 0;
            for(std::size_t i = 0; i < bytes; ++i)
                len = (len << 8) | static_cast<unsigned char>(out[2 + i]);
            head += bytes;
        }
        check(out.size() - head >= len, "a whole frame payload", out);
        auto const payload = out.substr(head, len);
        switch(b0 & 0x0F)
        {
        case 0x1: // the server writes each message as one text frame
            check((b0 & 0x80) != 0 && is_utf8(payload), "a text message in one frame, in UTF-8", payload);
            ++messages;
            break;
        case 0x8:
        {
            check(payload.size() >= 2 && is_utf8(payload.substr(2)), "a close code and a UTF-8 reason", payload);
            auto const code = static_cast<std::uint16_t>((static_cast<unsigned char>(payload[0]) << 8) |
                                                         static_cast<unsigned char>(payload[1]));
            bool const own = code == 1000 || code == 1001 || code == 1002 || code == 1003 || code == 1007 ||
                             code == 1008 || code == 1009 || code == 1011 || code == 1013;
            // Beast answers a client's close with the client's code, when it is one a close may carry
            bool const echo = boost::beast::websocket::detail::is_valid_close_code(code) &&
                              sent.find(payload.substr(0, 2)) != std::string_view::npos;
            check(own || echo, "a close code the server documents, or the client's own", payload);
            closed = true;
            break;
        }
        case 0x9:
        case 0xA: check(len <= 125, "a control frame of at most 125 bytes", payload); break;
        default: check(false, "a known opcode", out);
        }
        out.remove_prefix(head + len);
    }
    return messages;
}

} // namespace rtnotify_fuzz
