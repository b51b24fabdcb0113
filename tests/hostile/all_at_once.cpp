// Every known attack on one rtnotify-server at once: its peak RSS must stay under the memory budget it computes.
// SPDX-License-Identifier: BSL-1.0
#include "hostile/bayeux_attacks.hpp"
#include "hostile/server_process.hpp"

#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <regex>
#include <string>
#include <vector>

namespace {

using namespace rtnotify_test;

/// The budget the server logged at start, in MiB.
long logged_budget_mib(server_process const& srv)
{
    std::smatch m;
    auto const log = srv.log();
    if(!std::regex_search(log, m, std::regex("memory budget: ([0-9]+) MiB")))
        return 0;
    return std::stol(m[1]);
}

class attacker
{
public:
    explicit attacker(unsigned short port) : port_(port) {}

    /// Subscribers on WebSockets that never read, then big publishes to them.
    void fan_out(int sockets, int publishes)
    {
        for(int i = 0; i < sockets; ++i)
            push_session(*ws_.emplace_back(std::make_unique<ws_client>(port_, "/bayeux")), "/wide");
        publish_big(http(), "/wide", publishes, 1000000);
    }

    /// A session with acknowledgement whose big batch is asked for again and again on sockets that never read.
    void replays(int queued, int replays)
    {
        auto& c = http();
        auto const id = client_id_of(c.call(http_client::post_json("/bayeux", R"([{"channel":"/meta/handshake",
            "version":"1.0","supportedConnectionTypes":["long-polling"],"ext":{"ack":true}}])"))
                                         .body());
        c.call(http_client::post_json("/bayeux", meta("/meta/subscribe", id, R"("subscription":"/acked")")));
        publish_big(http(), "/acked", queued, 1000000);
        for(int i = 0; i < replays; ++i)
            http_.emplace_back(std::make_unique<http_client>(port_))
                ->start(http_client::post_json(
                    "/bayeux", meta("/meta/connect", id, R"("connectionType":"long-polling","ext":{"ack":0})")));
    }

    /// Requests whose body is announced whole and sent in half, or whose chunk-size line never ends.
    void slow_bodies(int count)
    {
        for(int i = 0; i < count; ++i)
        {
            auto& s = *raw_.emplace_back(std::make_unique<asio::ip::tcp::socket>(ioc_));
            s.connect({asio::ip::make_address("127.0.0.1"), port_});
            auto const head = i % 2 ? std::string("POST /bayeux HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n")
                                    : std::string("POST /bayeux HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
            boost::system::error_code refused; // a body past max_buffered is answered 503 and its connection closed
            asio::write(s, asio::buffer(head + std::string(i % 2 ? 500000 : 8000, i % 2 ? ' ' : 'f')), refused);
        }
    }

    /// WebSocket messages of 1 MB, each sent but for its last byte (a raw frame header and payload).
    void slow_messages(int count)
    {
        for(int i = 0; i < count; ++i)
        {
            auto& s = *raw_.emplace_back(std::make_unique<asio::ip::tcp::socket>(ioc_));
            s.connect({asio::ip::make_address("127.0.0.1"), port_});
            asio::write(s, asio::buffer(std::string("GET /bayeux HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                                                    "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                                    "Sec-WebSocket-Version: 13\r\n\r\n")));
            boost::asio::streambuf upgraded;
            asio::read_until(s, upgraded, "\r\n\r\n");
            std::size_t const n = 1000000;
            std::string frame = {char(0x81), char(0xFF)}; // text, masked, 64-bit length
            for(int b = 7; b >= 0; --b)
                frame.push_back(char((n >> (8 * b)) & 0xFF));
            frame += std::string(4, '\0') + std::string(n - 1, ' '); // a zero mask
            boost::system::error_code refused; // a message past max_buffered may have its socket closed before its end
            asio::write(s, asio::buffer(frame), refused);
        }
    }

    /// SmartREST bodies of 300,000 lines.
    void smartrest_lines(int count)
    {
        std::string body;
        for(int i = 0; i < 300000; ++i)
            body += "80\n";
        for(int i = 0; i < count; ++i)
            raw_exchange(port_, "POST /notification/realtime HTTP/1.1\r\nHost: x\r\nX-Id: flood\r\nContent-Length: " +
                                    std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
    }

    /// Template collections of about 60 KB until the registry refuses them; returns how many it
    /// refused for coming from this client (`--max-template-collections-per-address`).
    int templates(int count)
    {
        std::string body;
        for(int k = 0; k < 380; ++k)
            body += "11," + std::to_string(500 + k) + ",,$.c8y_x" + std::to_string(k) + ",$." + std::string(150, 'z') + "\n";
        auto& c = http();
        int refused = 0;
        for(int i = 0; i < count; ++i)
            refused += c.call(http_client::make(http::verb::post, "/s", body, {{"X-Id", "flood" + std::to_string(i)}}))
                           .body()
                           .find("Too many template collections from this client") != std::string::npos;
        return refused;
    }

    /// Sessions with as many long subscriptions as the server takes.
    void subscriptions(int sessions)
    {
        auto& c = http();
        for(int s = 0; s < sessions; ++s)
        {
            auto const id = client_id_of(c.call(http_client::post_json("/bayeux", handshake_json)).body());
            for(int r = 0; r < 10; ++r)
            {
                std::string channels = "[";
                for(int k = 0; k < 100; ++k)
                    channels += (k ? ",\"/s/" : "\"/s/") + std::to_string(s * 1000 + r * 100 + k) + "/" +
                                std::string(1000, 'c') + "\"";
                c.call(http_client::post_json("/bayeux", meta("/meta/subscribe", id, R"("subscription":)" + channels + "]")));
            }
        }
    }

    /// Kuzzle documents of 60 KB, then rooms of 15 KB filters, until the server refuses them (the
    /// subscriptions pipelined: each connection sends all of its requests, then reads the replies).
    void kuzzle(int documents, int rooms)
    {
        auto& docs = *ws_.emplace_back(std::make_unique<ws_client>(port_, "/"));
        for(int i = 0; i < documents; ++i)
        {
            docs.send(R"({"controller":"document","action":"create","index":"i","collection":"c","_id":"d)" +
                      std::to_string(i) + R"(","body":{"text":")" + std::string(60000, 'k') + R"("}})");
            docs.receive();
        }
        for(int first = 0; first < rooms; first += 900) // 1,000 rooms at most per connection
        {
            auto& w = *ws_.emplace_back(std::make_unique<ws_client>(port_, "/"));
            auto const end = std::min(rooms, first + 900);
            for(int i = first; i < end; ++i)
                w.send(R"({"controller":"realtime","action":"subscribe","index":"i","collection":"c","body":{"equals":{"f)" +
                       std::to_string(i) + R"(":")" + std::string(15000, 'r') + R"("}}})");
            for(int i = first; i < end; ++i)
                w.receive();
        }
    }

    /// Handshakes until the session table refuses them.
    void sessions(int count)
    {
        auto& c = http();
        for(int i = 0; i < count; ++i)
            c.call(http_client::post_json("/bayeux", handshake_json));
    }

private:
    http_client& http() { return *http_.emplace_back(std::make_unique<http_client>(port_)); }

    unsigned short port_;
    asio::io_context ioc_;
    std::vector<std::unique_ptr<ws_client>> ws_;
    std::vector<std::unique_ptr<http_client>> http_;
    std::vector<std::unique_ptr<asio::ip::tcp::socket>> raw_;
};

TEST(HostileAllAtOnce, PeakMemoryStaysUnderTheBudget)
{
    // Under ASan the peak is not checked (shadow memory), only that the server survives
    // every attack at once: the largest of them are cut by 5 there, which saves two minutes of CI.
    int const cut = address_sanitizer ? 5 : 1;
    int const collections = 1000 / cut; // templates from one address
    server_process srv("--max-connections 600 --max-connections-per-address 600 --max-sessions 3000 "
                       "--max-sessions-per-address 3000 --max-buffered 33554432 --max-total-queue-bytes 8388608 "
                       "--max-template-collections-per-address " +
                       std::to_string(collections));
    ASSERT_TRUE(srv.started());
    auto const budget = logged_budget_mib(srv);
    ASSERT_GT(budget, 0) << srv.log();
    {
        attacker a(srv.port());
        // each attack keeps what it holds (sockets, sessions, rooms) until the end;
        // those that fill max_buffered_bytes come last, when the others are in
        a.fan_out(100, 12);
        a.replays(20, 10);
        a.smartrest_lines(4);
        EXPECT_EQ(a.templates(collections + 100), 100);
        a.subscriptions(30);
        a.kuzzle(600 / cut, 4500 / cut);
        a.sessions(3000 / cut);
        a.slow_bodies(40);
        a.slow_messages(20);
        std::this_thread::sleep_for(500ms); // the server reads what was sent
        RecordProperty("budget_mib", std::to_string(budget));
        std::cout << "peak RSS " << srv.peak_rss_kb() / 1024 << " MiB, budget " << budget << " MiB\n";
        expect_peak_growth_below(srv, 0, budget * 1024, "every attack at once, against the memory budget");
    }
    // the server survived all of it and still answers
    http_client after(srv.port());
    EXPECT_EQ(after.call(http_client::post_json("/bayeux", "[]")).result_int(), 200u);
}

} // namespace
