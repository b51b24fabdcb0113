// Tests of rtnotify/rooms/notification.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/rooms/notification.hpp>

#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

namespace {

namespace rooms = rtnotify::rooms;
namespace json = boost::json;

struct fixture
{
    rooms::room_registry reg;
    rooms::subscription hot, all_docs, leaving_only, no_docs;

    fixture()
    {
        auto opts = [](rooms::scope s, rooms::users u = rooms::users::none) {
            rooms::subscribe_options o;
            o.scope = s;
            o.users = u;
            return o;
        };
        hot = reg.subscribe(1, "i", "c", json::parse(R"({"range":{"temp":{"gt":30}}})"), opts(rooms::scope::in)).value();
        all_docs = reg.subscribe(2, "i", "c", json::parse(R"({"range":{"temp":{"gt":30}}})"), opts(rooms::scope::all)).value();
        leaving_only = reg.subscribe(3, "i", "c", json::parse(R"({"range":{"temp":{"gt":30}}})"), opts(rooms::scope::out)).value();
        no_docs = reg.subscribe(4, "i", "c", json::parse(R"({"range":{"temp":{"gt":30}}})"),
                                opts(rooms::scope::none, rooms::users::all)).value();
    }

    std::vector<std::string> channels(std::vector<rooms::notification> const& ns, std::string_view scope)
    {
        std::vector<std::string> out;
        for(auto const& n : ns)
            if(n.payload.at("scope") == json::value(scope))
                out.push_back(n.channel);
        std::sort(out.begin(), out.end());
        return out;
    }
};

TEST(RoomsNotification, ScopesFollowEnteringAndLeaving)
{
    fixture f;
    rooms::document_change c{.index = "i", .collection = "c", .action = rooms::document_action::create, .id = "d1",
                             .after = json::parse(R"({"temp":35})").as_object()};
    auto created = rooms::notify_document(f.reg, c);
    std::vector<std::string> in_channels{f.hot.channel, f.all_docs.channel};
    std::sort(in_channels.begin(), in_channels.end());
    EXPECT_EQ(f.channels(created, "in"), in_channels);
    ASSERT_FALSE(created.empty());
    auto const& p = created[0].payload;
    EXPECT_EQ(p.at("type"), json::value("document"));
    EXPECT_EQ(p.at("action"), json::value("create"));
    EXPECT_EQ(p.at("event"), json::value("write"));
    EXPECT_EQ(p.at("state"), json::value("done"));
    EXPECT_EQ(p.at("result").at("_id"), json::value("d1"));
    EXPECT_EQ(p.at("result").at("_source").at("temp"), json::value(35));
    EXPECT_EQ(p.at("room"), json::value(created[0].channel));

    // an update that leaves the room: "out" to the all and out channels
    c.action = rooms::document_action::update;
    c.before = c.after;
    c.after = json::parse(R"({"temp":20})").as_object();
    c.updated_fields = {"temp"};
    auto left = rooms::notify_document(f.reg, c);
    std::vector<std::string> out_channels{f.all_docs.channel, f.leaving_only.channel};
    std::sort(out_channels.begin(), out_channels.end());
    EXPECT_TRUE(f.channels(left, "in").empty());
    EXPECT_EQ(f.channels(left, "out"), out_channels);
    EXPECT_EQ(left[0].payload.at("result").at("_updatedFields"), json::parse(R"(["temp"])"));

    // an update that stays: "in" again
    c.before = json::parse(R"({"temp":35})").as_object();
    c.after = json::parse(R"({"temp":40})").as_object();
    EXPECT_EQ(f.channels(rooms::notify_document(f.reg, c), "in"), in_channels);

    // a delete of a matching document: "out", with the deleted content
    c.action = rooms::document_action::remove;
    c.after.reset();
    auto deleted = rooms::notify_document(f.reg, c);
    EXPECT_EQ(f.channels(deleted, "out"), out_channels);
    EXPECT_EQ(deleted[0].payload.at("event"), json::value("delete"));
    EXPECT_EQ(deleted[0].payload.at("result").at("_source").at("temp"), json::value(35));

    // _id is part of the tested document
    auto by_id = f.reg.subscribe(5, "i", "c", json::parse(R"({"ids":{"values":["d9"]}})")).value();
    rooms::document_change pub{.index = "i", .collection = "c", .action = rooms::document_action::publish, .id = "d9",
                               .after = json::parse(R"({"x":1})").as_object()};
    auto published = rooms::notify_document(f.reg, pub);
    ASSERT_EQ(published.size(), 1u);
    EXPECT_EQ(published[0].channel, by_id.channel);
    EXPECT_EQ(published[0].payload.at("event"), json::value("publish"));
}

TEST(RoomsNotification, AnnouncementsGoToPendingChannelsOfScopeAllWithTheRequestAction)
{
    fixture f;
    rooms::subscribe_options pending, soon_in, everything;
    pending.state = rooms::state::pending;
    soon_in.state = rooms::state::pending;
    soon_in.scope = rooms::scope::in;
    everything.state = rooms::state::all;
    auto const filter = json::parse(R"({"range":{"temp":{"gt":30}}})");
    auto const p = f.reg.subscribe(6, "i", "c", filter, pending).value();
    f.reg.subscribe(7, "i", "c", filter, soon_in).value();
    auto const e = f.reg.subscribe(8, "i", "c", filter, everything).value();
    EXPECT_EQ(p.channel, f.all_docs.channel + "2");
    EXPECT_EQ(e.channel, f.all_docs.channel + "1");
    rooms::document_change c;
    c.index = "i";
    c.collection = "c";
    c.id = "d1";
    c.after = json::parse(R"({"temp":35})").as_object();
    auto soon = rooms::announce_document(f.reg, c, "mCreate");
    std::vector<std::string> expected{p.channel, e.channel};
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(f.channels(soon, "unknown"), expected);
    ASSERT_EQ(soon.size(), 2u);
    EXPECT_EQ(soon[0].payload.at("state"), json::value("pending"));
    EXPECT_EQ(soon[0].payload.at("action"), json::value("mCreate"));
    EXPECT_EQ(soon[0].payload.at("result").at("_source").at("temp"), json::value(35));
    // the change made reaches the done and all channels, not the pending ones
    auto made = rooms::notify_document(f.reg, c);
    auto const heard = f.channels(made, "in");
    EXPECT_EQ(std::count(heard.begin(), heard.end(), e.channel), 1);
    EXPECT_EQ(std::count(heard.begin(), heard.end(), p.channel), 0);
    c.after = json::parse(R"({"temp":3})").as_object();
    EXPECT_TRUE(rooms::announce_document(f.reg, c, "create").empty()) << "content the filter does not match";
}

TEST(RoomsNotification, UsersAndServer)
{
    fixture f;
    rooms::presence_change c{f.hot.room_id, "i", "c", 4, true, "subscribe", "websocket", "node-2", 17, {{"who", "me"}}};
    auto in = rooms::notify_user(f.reg, c, 9);
    ASSERT_EQ(in.size(), 1u); // only the channel with users:all
    EXPECT_EQ(in[0].channel, f.no_docs.channel);
    EXPECT_EQ(in[0].payload.at("user"), json::value("in"));
    EXPECT_EQ(in[0].payload.at("result").at("count"), json::value(9)) << "the count given: every node's";
    EXPECT_EQ(in[0].payload.at("volatile").at("who"), json::value("me"));
    EXPECT_EQ(in[0].payload.at("node"), json::value("node-2"));
    c.entering = false;
    EXPECT_TRUE(rooms::notify_user(f.reg, c, 3).size() == 1) << "users:all hears them leave too";
    auto t = rooms::token_expired_notification("node-1");
    EXPECT_EQ(t.at("type"), json::value("TokenExpired"));
    EXPECT_EQ(t.at("message"), json::value("Authentication Token Expired"));
}

} // namespace
