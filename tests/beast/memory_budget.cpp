// Tests of rtnotify/beast/memory_budget.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/beast/memory_budget.hpp>

#include <rtnotify/beast/kuzzle_service.hpp>

#include <gtest/gtest.h>

#include <limits>
#include <memory>

namespace {

namespace rb = rtnotify::beast;

std::size_t sum(std::vector<rb::memory_term> const& terms)
{
    std::size_t total = 0;
    for(auto const& t : terms)
        total += t.bytes;
    return total;
}

TEST(MemoryBudget, IsTheSumOfItsTermsAndFollowsTheLimits)
{
    rb::server_options o;
    auto const base = rb::memory_budget(o);
    EXPECT_EQ(base, sum(rb::memory_budget_terms(o)));
    o.max_connections = 20000; // 10,000 more connections of 32 KiB + 8 KiB
    EXPECT_EQ(rb::memory_budget(o) - base, 10000u * (32 * 1024 + o.max_header_bytes));
    o.max_buffered_bytes += 1000;
    o.session.max_total_queue_bytes += 1000;
    EXPECT_EQ(rb::memory_budget(o) - base, 10000u * (32 * 1024 + o.max_header_bytes) + 2 * 1000 + 3 * 1000);
}

TEST(MemoryBudget, CountsEachWebSocketService)
{
    rb::server_options o;
    auto const without = rb::memory_budget(o);
    rtnotify::rooms::kuzzle_api_options k;
    auto const service = std::make_shared<rb::kuzzle_service>(k);
    o.ws_services.emplace("/", service);
    EXPECT_EQ(rb::memory_budget(o) - without, service->memory_bound());
    EXPECT_GE(service->memory_bound(), 2 * k.max_store_bytes + 4 * k.max_rooms_bytes);
    EXPECT_EQ(rb::memory_budget_terms(o).back().what, "WebSocket service on /");
}

TEST(MemoryBudget, SaturatesInsteadOfWrapping)
{
    rb::server_options o;
    o.max_connections = std::numeric_limits<std::size_t>::max() / 2;
    EXPECT_EQ(rb::memory_budget(o), std::numeric_limits<std::size_t>::max());
}

} // namespace
