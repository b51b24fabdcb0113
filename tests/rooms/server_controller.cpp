// Tests of rtnotify/rooms/server_controller.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/rooms/server_controller.hpp>

#include <boost/json.hpp>

#include <gtest/gtest.h>

namespace {

namespace rooms = rtnotify::rooms;
namespace json = boost::json;

json::value answer(std::string_view action)
{
    auto r = rooms::server_controller::handle(action, "node-1", 1700000000123);
    if(auto* f = std::get_if<rooms::api_failure>(&r))
    {
        ADD_FAILURE() << f->message;
        return nullptr;
    }
    return std::get<json::value>(r);
}

TEST(ServerController, NowIsTheTimeItIsGiven)
{
    EXPECT_EQ(answer("now"), (json::object{{"now", 1700000000123}}));
}

TEST(ServerController, InfoNamesTheNodeAndCarriesTheRoutes)
{
    auto const info = answer("info");
    EXPECT_EQ(info.at("serverInfo").at("kuzzle").at("node"), "node-1");
    EXPECT_EQ(info.at("serverInfo").at("kuzzle").at("api").at("routes"), rooms::kuzzle_public_api());
    EXPECT_EQ(answer("publicApi"), rooms::kuzzle_public_api());
}

TEST(ServerController, OtherActionsAreNotItsOwn)
{
    EXPECT_FALSE(rooms::server_controller::has_action("getStats"));
    auto const r = rooms::server_controller::handle("getStats", "n", 0);
    EXPECT_EQ(std::get<rooms::api_failure>(r).id, "api.process.action_not_found");
}

} // namespace
