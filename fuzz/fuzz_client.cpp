// Fuzz target for `beast::client` reading a hostile server's replies, over loopback.
// SPDX-License-Identifier: BSL-1.0
//
// The harness is the server: it listens on 127.0.0.1 in the client's own
// io_context and answers each request the client sends with the next reply
// of the input, byte for byte. The first byte picks the transport (bit 0:
// WebSocket, else long-polling), for WebSocket whether the harness answers
// the upgrade properly (bit 1: the replies then are the server's frames;
// else the first reply answers the upgrade), and for long-polling whether
// the harness closes the connection after each reply (bit 2). Then each
// reply is a two-byte length and its bytes. The client's bounds are small
// (4 KiB responses, 1 KiB headers) and it backs off 1 ms after a failure.
// The run ends when the replies are spent, or when the client has waited
// 5 ms for a timer of its own (an advice interval), and the client is closed.
// Properties checked:
// - nothing crashes, leaks or reads out of bounds, whatever the replies;
// - the client does a bounded amount of work per reply (no busy loop);
// - once closed, the client sends nothing and reports no event.
#include <rtnotify/beast/client.hpp>

#include "fuzz_support.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/websocket/detail/hybi13.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

using rtnotify_fuzz::check;
using tcp = boost::asio::ip::tcp;

namespace {

/// The harness's side of the connections: each request read is answered with the next reply.
struct hostile_server
{
    hostile_server(boost::asio::io_context& ioc, std::vector<std::string_view> replies, bool keep_open, bool websocket,
                   bool proper_upgrade)
        : acceptor(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0}), replies(std::move(replies)),
          keep_open(keep_open), websocket(websocket), proper_upgrade(proper_upgrade)
    {
        accept();
    }

    struct peer
    {
        explicit peer(tcp::socket s) : socket(std::move(s)) {}
        tcp::socket socket;
        std::string request; ///< read, not answered yet
        char buf[4096];
        bool upgraded = false;
    };

    void accept()
    {
        acceptor.async_accept([this](boost::system::error_code ec, tcp::socket s) {
            if(ec)
                return;
            peers.emplace_back(std::move(s));
            read(peers.back());
            accept();
        });
    }

    void read(peer& p)
    {
        p.socket.async_read_some(boost::asio::buffer(p.buf), [this, &p](boost::system::error_code ec, std::size_t n) {
            if(ec)
                return;
            p.request.append(p.buf, n);
            answer(p);
            if(p.socket.is_open())
                read(p);
        });
    }

    /// Answers what `p` sent, once it holds a whole request head (or, after an upgrade, anything).
    void answer(peer& p)
    {
        auto const head_end = p.request.find("\r\n\r\n");
        if(!p.upgraded && head_end == std::string::npos)
            return;
        std::string out;
        if(websocket && proper_upgrade && !p.upgraded)
        {
            auto const at = p.request.find("Sec-WebSocket-Key: ");
            auto const key = at == std::string::npos ? std::string_view()
                                                     : std::string_view(p.request).substr(at + 19, 24);
            boost::beast::websocket::detail::sec_ws_accept_type accept;
            boost::beast::websocket::detail::make_sec_ws_accept(accept, key);
            out = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  "Sec-WebSocket-Accept: " + std::string(accept.data(), accept.size()) + "\r\n\r\n";
            p.upgraded = true;
        }
        p.request.clear();
        if(next == replies.size())
            return finish();
        out += replies[next++];
        boost::system::error_code ec;
        boost::asio::write(p.socket, boost::asio::buffer(out), ec); // loopback: a few KiB fit in the socket's buffer
        if(!keep_open && !websocket)
            p.socket.close(ec);
    }

    /// The replies are spent: nothing more is accepted or answered.
    void finish()
    {
        spent = true;
        boost::system::error_code ignored;
        acceptor.close(ignored);
        for(auto& p : peers)
            p.socket.close(ignored);
    }

    tcp::acceptor acceptor;
    std::vector<std::string_view> replies;
    std::size_t next = 0;
    bool keep_open;
    bool websocket;
    bool proper_upgrade;
    bool spent = false;
    std::list<peer> peers; // stable addresses for the handlers
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    using namespace std::chrono_literals;
    rtnotify_fuzz::input in{data, size};
    auto const mode = in.byte();
    bool const websocket = mode & 1;
    std::vector<std::string_view> replies;
    while(!in.empty())
    {
        std::size_t len = in.byte();
        len = (len << 8) | in.byte();
        replies.push_back(in.bytes(len));
    }

    boost::asio::io_context ioc;
    hostile_server server(ioc, replies, mode & 4, websocket, mode & 2);
    rtnotify::beast::client_options o;
    o.max_response_bytes = 4096;
    o.max_header_bytes = 1024;
    o.session.backoff_increment = 1ms;
    o.session.max_backoff = 1ms;
    if(websocket)
        o.session.connection_types = {"websocket"};
    rtnotify::beast::endpoint url;
    url.host = "127.0.0.1";
    url.port = std::to_string(server.acceptor.local_endpoint().port());
    url.path = "/bayeux";
    rtnotify::beast::client c(ioc.get_executor(), url, o);
    bool closed = false;
    c.on_event = [&](rtnotify::session::client_event&) { check(!closed, "no event once the client is closed"); };
    c.on_failure = [&](std::string_view) { check(!closed, "no failure reported once the client is closed"); };
    c.start();
    c.subscribe("/fuzz/**");

    std::size_t handlers = 0;
    while(!server.spent && ioc.run_one_for(5ms) != 0)
        check(++handlers < 10000 * (replies.size() + 1), "a bounded amount of work per reply");
    c.close();
    closed = true;
    server.finish();
    ioc.restart();
    ioc.run_for(2s); // the resolver's thread may still be finishing a lookup
    check(ioc.stopped(), "once closed, the client leaves nothing running");
    return 0;
}
