// Tests of rtnotify/beast/detail/response_head.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/beast/detail/response_head.hpp>

#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>

namespace {

namespace http = boost::beast::http;
using rtnotify::beast::detail::response_head;

/// What Beast's parser reads in a head.
struct parsed_head
{
    unsigned status = 0;
    std::optional<std::uint64_t> length;
    bool keep_alive = false;
    bool chunked = false;
};

/// `h`'s text read back by Beast's parser, as the head of a response to a GET.
parsed_head parsed(response_head const& h)
{
    http::response_parser<http::empty_body> p;
    p.skip(true); // a head only: the body is not there
    boost::system::error_code ec;
    auto const text = h.text();
    auto const used = p.put(boost::asio::buffer(text.data(), text.size()), ec);
    EXPECT_FALSE(ec) << ec.message() << " in " << text;
    EXPECT_EQ(used, text.size()) << text;
    EXPECT_TRUE(p.is_header_done()) << text;
    parsed_head out{p.get().result_int(), std::nullopt, p.keep_alive(), p.chunked()};
    if(auto const n = p.content_length())
        out.length = *n;
    return out;
}

TEST(ResponseHead, IsTheStatusLineTheFieldsInOrderThenTheLengthAndAnEmptyLine)
{
    response_head h;
    h.start(200, 11);
    h.set(http::field::server, "rtnotify");
    h.set("Content-Type", "application/json; charset=utf-8");
    h.finish(27, true);
    EXPECT_EQ(h.text(), "HTTP/1.1 200 OK\r\nServer: rtnotify\r\nContent-Type: application/json; charset=utf-8\r\n"
                        "Content-Length: 27\r\n\r\n");
    auto const p = parsed(h);
    EXPECT_EQ(p.status, 200u);
    EXPECT_EQ(p.length, 27u);
    EXPECT_TRUE(p.keep_alive);
}

TEST(ResponseHead, SaysWhenTheConnectionClosesAsEachVersionExpects)
{
    response_head h;
    h.start(503, 11);
    h.finish(0, false);
    EXPECT_EQ(h.text(), "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    EXPECT_FALSE(parsed(h).keep_alive);

    h.start(200, 10); // HTTP/1.0 closes unless told otherwise
    h.finish(2, true);
    EXPECT_EQ(h.text(), "HTTP/1.0 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\n");
    EXPECT_TRUE(parsed(h).keep_alive);

    h.start(200, 10);
    h.finish(2, false);
    EXPECT_EQ(h.text(), "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n");
    EXPECT_FALSE(parsed(h).keep_alive);
}

TEST(ResponseHead, StatusesWithoutABodyHaveNoLength)
{
    response_head h;
    for(unsigned status : {101u, 204u, 304u})
    {
        h.start(status, 11);
        h.finish(0, true);
        EXPECT_EQ(h.text().find("Content-Length"), std::string::npos) << h.text();
    }
    h.start(404, 11);
    h.finish(0, true);
    EXPECT_NE(h.text().find("Content-Length: 0\r\n"), std::string::npos) << h.text();
}

TEST(ResponseHead, AStreamedResponseIsChunkedOverHttp11AndEndsWithTheConnectionOverHttp10)
{
    response_head h;
    h.start(200, 11);
    h.finish_streamed(true);
    EXPECT_EQ(h.text(), "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    EXPECT_TRUE(parsed(h).chunked);

    h.start(200, 10);
    h.finish_streamed(false);
    EXPECT_EQ(h.text(), "HTTP/1.0 200 OK\r\n\r\n");
    EXPECT_FALSE(parsed(h).keep_alive);
}

TEST(ResponseHead, ANewHeadReplacesTheLastInTheSameStorage)
{
    response_head h;
    h.start(200, 11);
    h.set("Content-Type", "text/plain; charset=utf-8");
    h.set(http::field::set_cookie, std::string(200, 'c'));
    h.finish(1000, true);
    auto const* storage = h.text().data();
    h.start(400, 11);
    h.finish(5, true);
    EXPECT_EQ(h.text(), "HTTP/1.1 400 Bad Request\r\nContent-Length: 5\r\n\r\n");
    EXPECT_EQ(h.text().data(), storage); // no allocation for a head no longer than the longest so far
}

} // namespace
