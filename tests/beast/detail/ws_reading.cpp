// Tests for rtnotify/beast/detail/ws_reading.hpp: close reasons that fit, and what a Bayeux WebSocket makes of a message.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/beast/detail/ws_reading.hpp>

#include <boost/beast/websocket/detail/utf8_checker.hpp>

#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

namespace {

namespace detail = rtnotify::beast::detail;
namespace websocket = boost::beast::websocket;

TEST(WsReading, CloseReasonFitsAFrameAndStaysUtf8)
{
    EXPECT_EQ(detail::close_reason_text("short"), "short");
    EXPECT_EQ(detail::close_reason_text(std::string(123, 'a')), std::string(123, 'a'));
    EXPECT_EQ(detail::close_reason_text(std::string(200, 'a')), std::string(123, 'a'));
    // "é" is two bytes: 122 ASCII bytes then é would end at byte 124, so it goes whole
    auto const cut = detail::close_reason_text(std::string(122, 'a') + "\xC3\xA9" + "tail");
    EXPECT_EQ(cut, std::string(122, 'a'));
    EXPECT_TRUE(websocket::detail::check_utf8(cut.data(), cut.size()));
    // a four-byte character straddling the limit
    auto const emoji = detail::close_reason_text(std::string(121, 'a') + "\xF0\x9F\x98\x80");
    EXPECT_EQ(emoji, std::string(121, 'a'));
}

TEST(WsReading, BayeuxMessageIsABatchOrAReasonedRefusal)
{
    rtnotify::bayeux::decode_options limits;
    auto ok = detail::read_bayeux_ws_message(true, R"([{"channel":"/meta/handshake"},{"channel":"/a"}])", limits);
    ASSERT_TRUE(std::holds_alternative<std::vector<rtnotify::bayeux::message>>(ok));
    EXPECT_EQ(std::get<0>(ok).size(), 2u);

    auto binary = detail::read_bayeux_ws_message(false, R"({"channel":"/a"})", limits);
    ASSERT_TRUE(std::holds_alternative<detail::ws_refusal>(binary));
    EXPECT_EQ(std::get<1>(binary).code, websocket::close_code::unknown_data);

    auto bad = detail::read_bayeux_ws_message(true, R"([{"channel":"/a"},{"channel":7}])", limits);
    ASSERT_TRUE(std::holds_alternative<detail::ws_refusal>(bad));
    EXPECT_EQ(std::get<1>(bad).code, websocket::close_code::bad_payload);
    EXPECT_EQ(std::get<1>(bad).reason, "bad Bayeux message: message 1, field channel: field has the wrong type");

    limits.max_messages = 1;
    auto many = detail::read_bayeux_ws_message(true, R"([{"channel":"/a"},{"channel":"/b"}])", limits);
    ASSERT_TRUE(std::holds_alternative<detail::ws_refusal>(many));
    EXPECT_EQ(std::get<1>(many).code, websocket::close_code::bad_payload);
}

} // namespace
