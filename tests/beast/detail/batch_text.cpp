// Tests of rtnotify/beast/detail/batch_text.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/beast/detail/batch_text.hpp>

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace {

namespace bx = rtnotify::bayeux;
namespace ss = rtnotify::session;
using rtnotify::beast::detail::batch_text;
using rtnotify::beast::detail::shared_text;

/// The bytes of `t`, joined.
std::string joined(shared_text const& t)
{
    std::string out;
    for(auto const& b : t.buffers())
        out.append(static_cast<char const*>(b.data()), b.size());
    EXPECT_EQ(out.size(), t.size());
    return out;
}

bx::message reply(char const* channel)
{
    bx::message m;
    m.channel = channel;
    m.successful = true;
    return m;
}

ss::delivery delivery(char const* channel, int data)
{
    bx::message m;
    m.channel = channel;
    m.data = data;
    return ss::make_delivery(std::make_shared<bx::message const>(std::move(m)), {});
}

TEST(BatchText, RepliesAndDeliveriesInSendingOrder)
{
    ss::send s;
    s.messages = {reply("/meta/subscribe"), reply("/meta/connect"), reply("/meta/unsubscribe")};
    s.deliveries = {{delivery("/a", 1), 2}, {delivery("/b", 2), 2}, {delivery("/c", 3), 3}};
    auto const text = joined(batch_text(s));
    EXPECT_EQ(text, bx::encode(ss::messages_in_order(s)));
    EXPECT_LT(text.find("/meta/connect"), text.find("\"/a\""));
    EXPECT_LT(text.find("\"/b\""), text.find("/meta/unsubscribe"));
    EXPECT_EQ(joined(batch_text(s, "cb(", ");")), "cb(" + text + ");");
}

TEST(BatchText, DeliveriesAreReferencedNotCopied)
{
    ss::send push;
    push.push = true;
    push.deliveries = {{delivery("/wide", 7), 0}};
    auto const t = batch_text(push);
    EXPECT_EQ(joined(t), "[" + *push.deliveries[0].what.json + "]");
    bool shared = false;
    for(auto const& b : t.buffers())
        shared = shared || b.data() == push.deliveries[0].what.json->data();
    EXPECT_TRUE(shared) << "the frame points at the delivery's own text";
    EXPECT_EQ(joined(batch_text(ss::send{})), "[]");
}

} // namespace
