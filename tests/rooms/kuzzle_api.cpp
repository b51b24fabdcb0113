// Tests of rtnotify/rooms/kuzzle_api.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/rooms/kuzzle_api.hpp>

#include <boost/json.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace {

namespace rooms = rtnotify::rooms;
namespace json = boost::json;

/// An api and the texts it sent, per connection, parsed.
struct api_fixture
{
    rooms::kuzzle_api api;
    std::int64_t now = 1700000000000;
    std::map<rooms::connection_id, std::vector<json::object>> inbox;

    explicit api_fixture(rooms::kuzzle_api_options o = {}) : api(std::move(o)) {}

    /// Keeps each text for its connection; a notification names its channel (its "room"), a response none.
    void take(std::vector<rooms::outgoing> const& out)
    {
        for(auto const& o : out)
        {
            auto text = json::parse(*o.text).as_object();
            bool const response = text.contains("error") || text.contains("p");
            EXPECT_EQ(o.channel == nullptr, response) << *o.text;
            if(o.channel)
            {
                EXPECT_EQ(text.at("room"), json::value(*o.channel)) << *o.text;
            }
            inbox[o.to].push_back(std::move(text));
        }
    }

    /// Sends `request` from `conn`; returns its response (taken out of the inbox).
    json::object call(rooms::connection_id conn, std::string const& request)
    {
        take(api.receive(conn, request, ++now));
        auto& box = inbox[conn];
        for(auto it = box.begin(); it != box.end(); ++it)
            if(it->contains("error") || it->contains("p")) // a response, not a notification
            {
                auto r = std::move(*it);
                box.erase(it);
                return r;
            }
        ADD_FAILURE() << "no response to " << request;
        return {};
    }

    /// The notifications `conn` received, taken out.
    std::vector<json::object> notifications(rooms::connection_id conn)
    {
        return std::exchange(inbox[conn], {});
    }
};

std::string subscribe(std::string const& filter, std::string const& more = "")
{
    return R"({"controller":"realtime","action":"subscribe","index":"shop","collection":"items","requestId":"s1","body":)" +
           filter + more + "}";
}

std::string doc(std::string_view action, std::string_view id, std::string const& body)
{
    return R"({"controller":"document","action":")" + std::string(action) +
           R"(","index":"shop","collection":"items","requestId":"d","_id":")" + std::string(id) + R"(","body":)" + body +
           "}";
}

TEST(KuzzleApi, ARequestWithoutRequestIdGetsAGeneratedUuidThatItsNotificationsCarry)
{
    api_fixture f;
    f.call(1, subscribe(R"({})"));
    std::regex const uuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    std::set<std::string> seen;
    for(std::string id : {"", R"("requestId":null,)", R"("requestId":"",)"})
    {
        auto r = f.call(2, R"({)" + id + R"("controller":"realtime","action":"publish","index":"shop","collection":"items","body":{}})");
        ASSERT_TRUE(r.at("requestId").is_string()) << r;
        auto const got = std::string(r.at("requestId").as_string());
        EXPECT_TRUE(std::regex_match(got, uuid)) << got;
        EXPECT_EQ(r.at("room"), r.at("requestId"));
        auto const n = f.notifications(1);
        ASSERT_EQ(n.size(), 1u);
        EXPECT_EQ(n[0].at("requestId"), r.at("requestId")); // the notification names the request that caused it
        seen.insert(got);
    }
    EXPECT_EQ(seen.size(), 3u);
    f.take(f.api.receive(3, "not json", ++f.now));
    auto const bad = f.notifications(3);
    ASSERT_EQ(bad.size(), 1u);
    EXPECT_EQ(bad[0].at("status"), 400);
    EXPECT_TRUE(std::regex_match(std::string(bad[0].at("requestId").as_string()), uuid));
}

TEST(KuzzleApi, DocumentNotificationsInAndOut)
{
    api_fixture f;
    auto r = f.call(1, subscribe(R"({"range":{"price":{"lt":10}}})"));
    EXPECT_EQ(r.at("status"), 200);
    EXPECT_EQ(r.at("requestId"), "s1");
    EXPECT_EQ(r.at("room"), "s1");
    EXPECT_TRUE(r.at("error").is_null());
    auto const channel = json::value_to<std::string>(r.at("result").at("channel"));
    auto const room = json::value_to<std::string>(r.at("result").at("roomId"));

    auto c = f.call(2, doc("create", "a", R"({"name":"pen","price":3})"));
    EXPECT_EQ(c.at("result").at("_version"), 1);
    EXPECT_EQ(c.at("result").at("_source").at("name"), "pen");
    auto n = f.notifications(1);
    ASSERT_EQ(n.size(), 1u);
    EXPECT_EQ(n[0].at("type"), "document");
    EXPECT_EQ(n[0].at("action"), "create");
    EXPECT_EQ(n[0].at("scope"), "in");
    EXPECT_EQ(n[0].at("room"), json::value(channel));
    EXPECT_EQ(n[0].at("result").at("_id"), "a");
    EXPECT_EQ(n[0].at("requestId"), "d");

    f.call(2, doc("create", "b", R"({"name":"car","price":9000})")); // out of scope all along
    EXPECT_TRUE(f.notifications(1).empty());

    f.call(2, doc("update", "a", R"({"price":4})")); // stays: "in" again
    n = f.notifications(1);
    ASSERT_EQ(n.size(), 1u);
    EXPECT_EQ(n[0].at("action"), "update");
    EXPECT_EQ(n[0].at("scope"), "in");
    EXPECT_EQ(n[0].at("result").at("_updatedFields"), json::parse(R"(["price"])"));
    EXPECT_EQ(n[0].at("result").at("_source").at("name"), "pen"); // the merged document

    auto u = f.call(2, doc("update", "a", R"({"price":40})")); // leaves
    EXPECT_EQ(u.at("result").at("_version"), 3);
    n = f.notifications(1);
    ASSERT_EQ(n.size(), 1u);
    EXPECT_EQ(n[0].at("scope"), "out");

    f.call(2, doc("replace", "a", R"({"name":"pen","price":2})")); // enters again
    EXPECT_EQ(f.notifications(1).at(0).at("scope"), "in");
    f.call(2, doc("delete", "a", "null"));
    n = f.notifications(1);
    ASSERT_EQ(n.size(), 1u);
    EXPECT_EQ(n[0].at("action"), "delete");
    EXPECT_EQ(n[0].at("scope"), "out");
    EXPECT_EQ(f.call(2, doc("get", "a", "null")).at("status"), 404);
    EXPECT_EQ(f.api.document_count(), 1u);

    // publish: not stored, "in" with the body
    f.call(2, R"({"controller":"realtime","action":"publish","index":"shop","collection":"items","requestId":"p","body":{"price":1}})");
    n = f.notifications(1);
    ASSERT_EQ(n.size(), 1u);
    EXPECT_EQ(n[0].at("action"), "publish");
    EXPECT_EQ(n[0].at("event"), "publish");
    EXPECT_EQ(f.api.document_count(), 1u);

    // a channel with scope "out" hears only departures
    auto o = f.call(3, subscribe(R"({"range":{"price":{"lt":10}}})", R"(,"scope":"out")"));
    EXPECT_EQ(o.at("result").at("roomId"), json::value(room));
    EXPECT_NE(o.at("result").at("channel"), json::value(channel));
    f.call(2, doc("create", "c", R"({"price":5})"));
    EXPECT_TRUE(f.notifications(3).empty());
    EXPECT_EQ(f.notifications(1).size(), 1u);
    f.call(2, doc("update", "c", R"({"price":50})"));
    EXPECT_EQ(f.notifications(3).size(), 1u);
}

TEST(KuzzleApi, ChangesKeptForOtherNodesNotifyTheirRoomsAsTheyNotifyHere)
{
    rooms::kuzzle_api_options o;
    o.keep_changes = true;
    api_fixture here(o), there(o);
    there.call(1, subscribe(R"({"range":{"price":{"lt":10}}})"));
    here.call(1, subscribe(R"({"range":{"price":{"lt":10}}})"));
    EXPECT_TRUE(here.api.take_changes().empty()); // subscriptions change no document

    here.call(3, doc("create", "a", R"({"price":3})"));
    here.call(3, doc("update", "a", R"({"price":30})"));
    here.call(3, R"({"controller":"realtime","action":"publish","index":"shop","collection":"items","body":{"price":1}})");
    here.call(3, doc("get", "a", "null")); // reads change nothing
    auto const changes = here.api.take_changes();
    ASSERT_EQ(changes.size(), 3u);
    EXPECT_TRUE(here.api.take_changes().empty()); // taken once
    for(auto const& c : changes)
        there.take(there.api.apply_remote_change(c));

    // the other node's subscriber hears what this node's did, but its own node's `node` and channel
    auto const mine = here.notifications(1), theirs = there.notifications(1);
    ASSERT_EQ(theirs.size(), 3u);
    ASSERT_EQ(mine.size(), 3u);
    for(std::size_t i = 0; i < 3; ++i)
    {
        EXPECT_EQ(theirs[i].at("action"), mine[i].at("action"));
        EXPECT_EQ(theirs[i].at("scope"), mine[i].at("scope"));
        EXPECT_EQ(theirs[i].at("result"), mine[i].at("result"));
        EXPECT_EQ(theirs[i].at("requestId"), mine[i].at("requestId"));
    }
    EXPECT_EQ(theirs[1].at("scope"), "out");
    EXPECT_TRUE(there.api.take_changes().empty()) << "what came from another node does not go around again";

    // the other node's store took the document, at its version
    auto const got = there.call(1, doc("get", "a", "null"));
    EXPECT_EQ(got.at("result").at("_source").at("price"), 30) << got;
    EXPECT_EQ(got.at("result").at("_version"), 2);
    // a silent delete is stored there too, and notifies nobody
    here.call(3, R"({"controller":"document","action":"delete","index":"shop","collection":"items","_id":"a","silent":true})");
    auto const quiet = here.api.take_changes();
    ASSERT_EQ(quiet.size(), 1u);
    EXPECT_TRUE(quiet[0].silent);
    EXPECT_EQ(quiet[0].version, 3u) << "a delete is one more version";
    there.take(there.api.apply_remote_change(quiet[0]));
    EXPECT_TRUE(there.notifications(1).empty());
    EXPECT_EQ(there.call(1, doc("get", "a", "null")).at("status"), 404);
    EXPECT_EQ(there.api.replicas_refused(), 0u);
    // a change with an empty `_id`, which no node writes, is refused: stored, it broke deleteByQuery (found by fuzzing)
    auto nameless = quiet[0];
    nameless.action = rooms::document_action::create;
    nameless.id = "";
    nameless.after = json::object{{"price", 1}};
    nameless.version = 1;
    there.take(there.api.apply_remote_change(nameless));
    EXPECT_EQ(there.api.replicas_refused(), 1u);
    EXPECT_EQ(there.api.document_count(), 0u);
    auto const purged = there.call(1, R"({"controller":"document","action":"deleteByQuery","index":"shop","collection":"items",)"
                                      R"("body":{"query":{"range":{"price":{"gte":0}}}}})");
    EXPECT_EQ(purged.at("status"), 200) << purged;

    api_fixture plain; // without keep_changes nothing accumulates
    plain.call(3, doc("create", "a", R"({"price":3})"));
    EXPECT_TRUE(plain.api.take_changes().empty());
}

TEST(KuzzleApi, CreateOrReplaceAndUpsertNotifyWhatTheyDid)
{
    api_fixture f;
    f.call(1, subscribe(R"({"range":{"price":{"lt":10}}})"));
    auto r = f.call(2, doc("createOrReplace", "a", R"({"price":3})"));
    EXPECT_EQ(r.at("status"), 200);
    EXPECT_EQ(r.at("result").at("created"), true);
    EXPECT_EQ(r.at("result").at("_version"), 1);
    auto n = f.notifications(1);
    ASSERT_EQ(n.size(), 1u);
    EXPECT_EQ(n[0].at("action"), "create");
    EXPECT_EQ(n[0].at("scope"), "in");
    r = f.call(2, doc("createOrReplace", "a", R"({"price":4})"));
    EXPECT_EQ(r.at("result").at("created"), false);
    EXPECT_EQ(r.at("result").at("_source").at("price"), 4);
    n = f.notifications(1);
    ASSERT_EQ(n.size(), 1u);
    EXPECT_EQ(n[0].at("action"), "replace");

    r = f.call(2, doc("upsert", "b", R"({"changes":{"price":5},"default":{"name":"cup","price":99}})"));
    EXPECT_EQ(r.at("result").at("created"), true);
    EXPECT_FALSE(r.at("result").as_object().contains("_source")) << "upsert gives its source only when asked";
    n = f.notifications(1);
    ASSERT_EQ(n.size(), 1u);
    EXPECT_EQ(n[0].at("action"), "create");
    EXPECT_EQ(n[0].at("result").at("_source").at("name"), "cup");
    EXPECT_EQ(n[0].at("result").at("_source").at("price"), 5) << "the changes win over the default";
    r = f.call(2, R"({"controller":"document","action":"upsert","index":"shop","collection":"items","_id":"b","source":true,)"
                  R"("body":{"changes":{"price":50},"default":{"name":"ignored"}}})");
    EXPECT_EQ(r.at("result").at("created"), false);
    EXPECT_EQ(r.at("result").at("_source").at("name"), "cup");
    EXPECT_EQ(r.at("result").at("_version"), 2);
    n = f.notifications(1);
    ASSERT_EQ(n.size(), 1u);
    EXPECT_EQ(n[0].at("action"), "update");
    EXPECT_EQ(n[0].at("scope"), "out") << "50 leaves the filter";
    EXPECT_EQ(n[0].at("result").at("_updatedFields"), json::parse(R"(["price"])"));

    EXPECT_EQ(f.call(2, doc("upsert", "c", R"({"default":{}})")).at("status"), 400);
    EXPECT_EQ(f.call(2, doc("upsert", "c", R"({"changes":{},"default":1})")).at("status"), 400);
    EXPECT_EQ(f.call(2, R"({"controller":"document","action":"createOrReplace","index":"shop","collection":"items","body":{}})")
                  .at("status"),
              400);
    EXPECT_TRUE(f.notifications(1).empty());
}

TEST(KuzzleApi, ExistsSaysWhetherADocumentIsThereAndNotifiesNobody)
{
    api_fixture f;
    f.call(1, subscribe(R"({})"));
    f.call(2, doc("create", "a", R"({"x":1})"));
    f.notifications(1);
    EXPECT_EQ(f.call(2, doc("exists", "a", "null")).at("result"), true);
    EXPECT_EQ(f.call(2, doc("exists", "zz", "null")).at("result"), false);
    EXPECT_EQ(f.call(2, R"({"controller":"document","action":"exists","index":"shop","collection":"items"})").at("status"), 400);
    EXPECT_TRUE(f.notifications(1).empty());
}

/// "to:state:scope:action" of each text of `out`, "to:response" for a response: in order, but the
/// notifications before the response and those after it each sorted (channels come in no set order).
std::vector<std::string> sequence(std::vector<rooms::outgoing> const& out)
{
    std::vector<std::string> seq;
    for(auto const& o : out)
    {
        auto const t = json::parse(*o.text).as_object();
        auto const field = [&](char const* k) { return std::string(t.at(k).as_string()); };
        seq.push_back(std::to_string(o.to) + ":" +
                      (o.channel ? field("state") + ":" + field("scope") + ":" + field("action") : "response"));
    }
    auto const response = std::find_if(seq.begin(), seq.end(), [](auto const& e) { return e.ends_with(":response"); });
    std::sort(seq.begin(), response);
    if(response != seq.end())
        std::sort(response + 1, seq.end());
    return seq;
}

TEST(KuzzleApi, PendingNotificationsComeBeforeTheResponseToPendingChannelsOnlyWhenEnabled)
{
    rooms::kuzzle_api_options o;
    o.pending_notifications = true;
    api_fixture f(o);
    f.call(1, subscribe("{}", R"(,"state":"all")"));
    f.call(3, subscribe("{}", R"(,"state":"pending")"));
    f.call(4, subscribe("{}"));                                     // done, the default
    f.call(5, subscribe("{}", R"(,"state":"pending","scope":"in")")); // pending notifications have scope "unknown"
    auto const create = f.api.receive(2, doc("create", "a", R"({"price":3})"), ++f.now);
    EXPECT_EQ(sequence(create), (std::vector<std::string>{"1:pending:unknown:create", "3:pending:unknown:create",
                                                          "2:response", "1:done:in:create", "4:done:in:create"}));
    auto const pending = json::parse(*create[0].text);
    EXPECT_EQ(pending.at("result").at("_id"), "a");
    EXPECT_EQ(pending.at("result").at("_source").at("price"), 3);
    EXPECT_EQ(pending.at("requestId"), "d");
    EXPECT_EQ(sequence(f.api.receive(2, doc("createOrReplace", "a", R"({"price":4})"), ++f.now)),
              (std::vector<std::string>{"1:pending:unknown:createOrReplace", "3:pending:unknown:createOrReplace",
                                        "2:response", "1:done:in:replace", "4:done:in:replace"}));
    EXPECT_EQ(sequence(f.api.receive(2, doc("update", "a", R"({"price":5})"), ++f.now)),
              (std::vector<std::string>{"2:response", "1:done:in:update", "4:done:in:update"}))
        << "Kuzzle 1 announced no updates";
    auto const del = f.api.receive(2, doc("delete", "a", "null"), ++f.now);
    EXPECT_EQ(sequence(del), (std::vector<std::string>{"1:pending:unknown:delete", "3:pending:unknown:delete",
                                                       "2:response", "1:done:out:delete", "4:done:out:delete"}));
    EXPECT_EQ(json::parse(*del[0].text).at("result").at("_source").at("price"), 5) << "the content about to be deleted";
    EXPECT_EQ(sequence(f.api.receive(2, R"({"controller":"realtime","action":"publish","index":"shop","collection":"items","body":{}})",
                                     ++f.now)),
              (std::vector<std::string>{"1:pending:unknown:publish", "3:pending:unknown:publish", "2:response",
                                        "1:done:in:publish", "4:done:in:publish"}));
    EXPECT_EQ(f.call(6, subscribe("{}", R"(,"state":"soon")")).at("error").at("id"), "core.realtime.invalid_state");
}

TEST(KuzzleApi, WithoutPendingNotificationsStateIsIgnoredAsKuzzle2IgnoresIt)
{
    api_fixture f;
    auto const all = f.call(1, subscribe("{}", R"(,"state":"all")"));
    auto const plain = f.call(3, subscribe("{}"));
    EXPECT_EQ(all.at("result").at("channel"), plain.at("result").at("channel"));
    EXPECT_EQ(f.call(4, subscribe("{}", R"(,"state":"soon")")).at("status"), 200);
    EXPECT_EQ(sequence(f.api.receive(2, doc("create", "a", R"({"price":3})"), ++f.now)),
              (std::vector<std::string>{"2:response", "1:done:in:create", "3:done:in:create", "4:done:in:create"}));
}

/// alice may do anything, carol anything on index "shop", anonymous may only subscribe; passwords are the names.
std::shared_ptr<rtnotify::auth::security_config const> secured()
{
    static auto const config = [] {
        auto c = rtnotify::auth::parse_security_config(
            R"({"tokens":{"secret":"0123456789abcdef0123456789abcdef"},
                "users":{"alice":{"password":")" + *rtnotify::auth::hash_password("alice") + R"(","roles":["writer"]},
                         "carol":{"password":")" + *rtnotify::auth::hash_password("carol") + R"(","roles":["shopper"]}},
                "roles":{"writer":{"kuzzle":{"controllers":{"*":{"actions":{"*":true}}}}},
                         "shopper":{"kuzzle":{"controllers":{"*":{"actions":{"*":true}}},"restricted_to":[{"index":"shop"}]}},
                         "visitor":{"kuzzle":{"controllers":{"realtime":{"actions":{"subscribe":true}}}}}},
                "anonymous":{"roles":["visitor"]}})");
        EXPECT_TRUE(c) << c.error().to_string();
        return std::make_shared<rtnotify::auth::security_config const>(std::move(*c));
    }();
    return config;
}

TEST(KuzzleApi, ATokensExpiryEndsTheSubscriptionsMadeWithItWithTheServerNotification)
{
    rooms::kuzzle_api_options o;
    o.security = secured();
    api_fixture f(o);
    f.api.open(1, "10.0.0.1");
    auto const login = f.call(1, R"({"controller":"auth","action":"login","strategy":"local","expiresIn":2000,)"
                                 R"("body":{"username":"alice","password":"alice"}})");
    ASSERT_EQ(login.at("status"), 200) << login;
    auto const jwt = std::string(login.at("result").at("jwt").as_string());
    auto const with_token = [&](std::string const& request) { return "{\"jwt\":\"" + jwt + "\"," + request.substr(1); };
    EXPECT_EQ(f.call(1, with_token(subscribe("{}"))).at("status"), 200);
    EXPECT_EQ(f.call(3, subscribe("{}")).at("status"), 200) << "anonymous may subscribe";
    EXPECT_EQ(f.call(2, with_token(doc("create", "a", R"({"price":1})"))).at("status"), 200);
    EXPECT_EQ(f.notifications(1).size(), 1u);
    EXPECT_EQ(f.notifications(3).size(), 1u);

    f.now = login.at("result").at("expiresAt").as_int64(); // the clock reaches the token's expiry
    EXPECT_TRUE(f.api.expire(f.now - 1).empty());
    auto const expired = f.api.expire(f.now);
    ASSERT_EQ(expired.size(), 1u);
    EXPECT_EQ(expired[0].to, 1u);
    auto const n = json::parse(*expired[0].text);
    EXPECT_EQ(n.at("type"), "TokenExpired");
    EXPECT_EQ(n.at("message"), "Authentication Token Expired");
    EXPECT_EQ(f.api.rooms().size(), 1u) << "connection 3 keeps the room";
    EXPECT_EQ(f.call(2, with_token(doc("create", "b", R"({"price":1})"))).at("error").at("id"), "security.token.expired");
    auto const again = f.call(2, R"({"controller":"auth","action":"login","strategy":"local",)"
                                 R"("body":{"username":"alice","password":"alice"}})");
    auto const jwt2 = std::string(again.at("result").at("jwt").as_string());
    f.call(2, "{\"jwt\":\"" + jwt2 + "\"," + doc("create", "b", R"({"price":1})").substr(1));
    EXPECT_TRUE(f.notifications(1).empty()) << "connection 1 left its room";
    EXPECT_EQ(f.notifications(3).size(), 1u);
}

TEST(KuzzleApi, RightsAndTokensAreCheckedOnEveryRequest)
{
    rooms::kuzzle_api_options o;
    o.security = secured();
    api_fixture f(o);
    auto const anonymous_create = f.call(1, doc("create", "a", "{}"));
    EXPECT_EQ(anonymous_create.at("status"), 401);
    EXPECT_EQ(anonymous_create.at("error").at("id"), "security.rights.unauthorized");
    EXPECT_EQ(f.call(1, R"({"jwt":"a.b.c","controller":"realtime","action":"subscribe","index":"i","collection":"c"})")
                  .at("error")
                  .at("id"),
              "security.token.invalid");
    auto const login = f.call(1, R"({"controller":"auth","action":"login","strategy":"local","body":{"username":"alice","password":"alice"}})");
    auto const jwt = std::string(login.at("result").at("jwt").as_string());
    auto const me = f.call(1, R"({"jwt":")" + jwt + R"(","controller":"auth","action":"getCurrentUser"})");
    EXPECT_EQ(me.at("result").at("_id"), "alice");
    f.call(1, R"({"jwt":")" + jwt + R"(",)" + subscribe("{}").substr(1));
    EXPECT_EQ(f.api.rooms().size(), 1u);
    EXPECT_EQ(f.call(1, R"({"jwt":")" + jwt + R"(","controller":"auth","action":"logout"})").at("status"), 200);
    EXPECT_EQ(f.api.rooms().size(), 0u) << "logging out ends the subscriptions made with the token";
    EXPECT_EQ(f.call(1, R"({"jwt":")" + jwt + R"(",)" + doc("create", "a", "{}").substr(1)).at("error").at("id"),
              "security.token.invalid");
}

TEST(KuzzleApi, ARoomIdReachesNoFurtherThanTheIndexesARoleIsRestrictedTo)
{
    rooms::kuzzle_api_options o;
    o.security = secured();
    api_fixture f(o);
    auto const token = [&](char const* user) {
        auto const r = f.call(9, std::string(R"({"controller":"auth","action":"login","strategy":"local","body":{"username":")") +
                                     user + R"(","password":")" + user + R"("}})");
        return std::string(r.at("result").at("jwt").as_string());
    };
    auto const alice = token("alice"), carol = token("carol");
    auto const bank = f.call(1, R"({"jwt":")" + alice +
                                    R"(","controller":"realtime","action":"subscribe","index":"bank","collection":"accounts","body":{}})");
    auto const room = std::string(bank.at("result").at("roomId").as_string());
    f.call(1, R"({"jwt":")" + alice + R"(",)" + subscribe("{}").substr(1));
    auto const join = f.call(2, R"({"jwt":")" + carol + R"(","controller":"realtime","action":"join","body":{"roomId":")" + room + R"("}})");
    EXPECT_EQ(join.at("status"), 403) << join;
    EXPECT_EQ(join.at("error").at("id"), "security.rights.forbidden");
    EXPECT_EQ(f.call(2, R"({"jwt":")" + carol + R"(","controller":"realtime","action":"count","body":{"roomId":")" + room + R"("}})")
                  .at("status"),
              403);
    auto const listed = f.call(2, R"({"jwt":")" + carol + R"(","controller":"realtime","action":"list"})").at("result").as_object();
    EXPECT_TRUE(listed.contains("shop"));
    EXPECT_FALSE(listed.contains("bank")) << "rooms on other indexes are not listed";
    EXPECT_TRUE(f.call(1, R"({"jwt":")" + alice + R"(","controller":"realtime","action":"list"})").at("result").as_object().contains("bank"));
}

TEST(KuzzleApi, WithoutASecurityConfigurationEverythingIsOpenAndLoginSaysSo)
{
    api_fixture f;
    EXPECT_EQ(f.call(1, doc("create", "a", "{}")).at("status"), 200);
    EXPECT_EQ(f.call(1, R"({"controller":"auth","action":"login","strategy":"local","body":{}})").at("error").at("id"),
              "security.authentication.disabled");
    EXPECT_EQ(f.call(1, R"({"controller":"auth","action":"getCurrentUser"})").at("status"), 400);
}

TEST(KuzzleApi, UserNotificationsWithCounts)
{
    api_fixture f;
    auto const r = f.call(1, subscribe("{}", R"(,"users":"all")"));
    auto const room = json::value_to<std::string>(r.at("result").at("roomId"));
    f.notifications(1);
    auto j = f.call(2, R"({"controller":"realtime","action":"join","requestId":"j","body":{"roomId":")" + room +
                           R"("},"volatile":{"who":"bob"}})");
    EXPECT_EQ(j.at("status"), 200);
    auto n = f.notifications(1);
    ASSERT_EQ(n.size(), 1u);
    EXPECT_EQ(n[0].at("type"), "user");
    EXPECT_EQ(n[0].at("user"), "in");
    EXPECT_EQ(n[0].at("result").at("count"), 2);
    EXPECT_EQ(n[0].at("volatile").at("who"), "bob");
    // a second channel of the same connection in the room is no new user
    f.call(2, R"({"controller":"realtime","action":"join","requestId":"j2","scope":"out","body":{"roomId":")" + room + R"("}})");
    EXPECT_TRUE(f.notifications(1).empty());
    EXPECT_EQ(f.call(1, R"({"controller":"realtime","action":"count","requestId":"c","body":{"roomId":")" + room + R"("}})")
                  .at("result")
                  .at("count"),
              2);
    EXPECT_EQ(f.call(1, R"({"controller":"realtime","action":"list","requestId":"l"})").at("result").at("shop").at("items").at(room),
              2);
    f.take(f.api.disconnect(2, f.now));
    n = f.notifications(1);
    ASSERT_EQ(n.size(), 1u);
    EXPECT_EQ(n[0].at("user"), "out");
    EXPECT_EQ(n[0].at("result").at("count"), 1);
    auto u = f.call(1, R"({"controller":"realtime","action":"unsubscribe","requestId":"u","body":{"roomId":")" + room + R"("}})");
    EXPECT_EQ(u.at("result").at("roomId"), json::value(room));
    EXPECT_FALSE(f.api.rooms().count(room)); // the last one out closes the room
}

/// Hands what `from` has for the other nodes of a cluster (presence only) to `to`, as the bus would.
void relay_presence(api_fixture& from, api_fixture& to)
{
    for(auto const& text : from.api.take_presence(from.now))
    {
        auto p = rooms::read_presence(text);
        if(auto* c = std::get_if<rooms::presence_change>(&p))
            to.take(to.api.apply_remote_presence(*c, to.now));
        else if(auto* s = std::get_if<rooms::presence_snapshot>(&p))
            to.api.apply_remote_snapshot(*s, to.now);
        else
            ADD_FAILURE() << std::get<std::string>(p) << " in " << text;
    }
}

std::string room_request(std::string_view action, json::value const& room)
{
    return R"({"controller":"realtime","action":")" + std::string(action) + R"(","requestId":"r","body":{"roomId":)" +
           json::serialize(room) + "}}";
}

TEST(KuzzleApi, RoomCountsAndUserNotificationsSpanTheNodes)
{
    rooms::kuzzle_api_options oa, ob;
    oa.keep_changes = ob.keep_changes = true;
    oa.node = "a";
    ob.node = "b";
    api_fixture a(oa), b(ob);
    auto const cheap = R"({"range":{"price":{"lt":10}}})";
    auto const room = a.call(1, subscribe(cheap, R"(,"users":"all")")).at("result").at("roomId");
    a.notifications(1); // its own entry
    relay_presence(a, b); // a's entry and a's first snapshot

    // b's connections enter the same room: a's subscriber hears each, with the count of both nodes
    b.call(1, subscribe(cheap));
    b.call(2, subscribe(cheap, R"(,"users":"all")"));
    relay_presence(b, a);
    auto n = a.notifications(1);
    ASSERT_EQ(n.size(), 2u);
    EXPECT_EQ(n[0].at("user"), "in");
    EXPECT_EQ(n[0].at("node"), "b");
    EXPECT_EQ(n[0].at("result").at("count"), 2);
    EXPECT_EQ(n[1].at("result").at("count"), 3);
    EXPECT_EQ(a.call(1, room_request("count", room)).at("result").at("count"), 3);
    EXPECT_EQ(b.call(1, room_request("count", room)).at("result").at("count"), 3);
    auto const listed = a.call(1, R"({"controller":"realtime","action":"list","requestId":"l"})");
    EXPECT_EQ(listed.at("result").at("shop").at("items").at(json::value_to<std::string>(room)), 3);

    // one of b's leaves
    b.take(b.api.disconnect(1, b.now));
    relay_presence(b, a);
    n = a.notifications(1);
    ASSERT_EQ(n.size(), 1u);
    EXPECT_EQ(n[0].at("user"), "out");
    EXPECT_EQ(n[0].at("result").at("count"), 2);

    // a room only b has is counted and listed on a, and only b can be joined
    auto const dear = b.call(3, subscribe(R"({"range":{"price":{"gt":100}}})")).at("result").at("roomId");
    relay_presence(b, a);
    EXPECT_EQ(a.call(1, room_request("count", dear)).at("result").at("count"), 1);
    EXPECT_EQ(a.call(3, room_request("join", dear)).at("status"), 404);

    // b falls silent: after three snapshot intervals a forgets its counts
    a.now += 3 * oa.presence_interval_ms + 1;
    a.take(a.api.expire(a.now));
    EXPECT_EQ(a.api.silent_nodes(), 1u);
    EXPECT_EQ(a.call(1, room_request("count", room)).at("result").at("count"), 1);
    EXPECT_EQ(a.call(1, room_request("count", dear)).at("status"), 404);
    // b's next snapshot brings them back, whatever reports were lost meanwhile
    b.call(4, subscribe(cheap));
    (void)b.api.take_presence(b.now); // lost
    b.now += ob.presence_interval_ms;
    relay_presence(b, a);
    EXPECT_EQ(a.call(1, room_request("count", room)).at("result").at("count"), 3);
    EXPECT_EQ(a.call(1, room_request("count", dear)).at("result").at("count"), 1);

    api_fixture plain; // without keep_changes nothing accumulates and no snapshot is made
    plain.call(1, subscribe(cheap));
    EXPECT_TRUE(plain.api.take_presence(plain.now + 100000).empty());
}

TEST(KuzzleApi, ErrorsAreResponsesNotCrashes)
{
    rooms::kuzzle_api_options o;
    o.max_subscriptions = 2;
    o.max_documents = 1;
    api_fixture f(o);
    auto status = [&](std::string const& req) { return f.call(1, req); };
    EXPECT_EQ(f.call(1, R"({"p":1})"), json::parse(R"({"p":2})").as_object());
    auto bad = f.api.receive(1, "{oops", f.now);
    ASSERT_EQ(bad.size(), 1u);
    EXPECT_EQ(json::parse(*bad[0].text).at("status"), 400);
    EXPECT_EQ(json::parse(*f.api.receive(1, "[1,2]", f.now).at(0).text).at("error").at("id"), "api.assert.invalid_argument");
    auto deep = std::string(100, '[') + std::string(100, ']');
    EXPECT_EQ(json::parse(*f.api.receive(1, deep, f.now).at(0).text).at("status"), 400);

    auto e = status(subscribe(R"({"equals":{"a":1},"exists":"b"})"));
    EXPECT_EQ(e.at("status"), 400);
    EXPECT_EQ(e.at("error").at("id"), "api.assert.koncorde_dsl_error");
    EXPECT_EQ(e.at("requestId"), "s1");
    EXPECT_EQ(status(R"({"controller":"realtime","action":"subscribe","requestId":"x","body":{}})").at("error").at("id"),
              "api.assert.missing_argument");
    EXPECT_EQ(status(subscribe("{}", R"(,"scope":"sideways")")).at("error").at("id"), "core.realtime.invalid_scope");
    EXPECT_EQ(status(subscribe("{}", R"(,"scope":1)")).at("error").at("id"), "core.realtime.invalid_scope");
    EXPECT_EQ(status(subscribe("{}", R"(,"users":"everyone")")).at("error").at("id"), "core.realtime.invalid_users");
    EXPECT_EQ(status(R"({"controller":"realtime","action":"join","requestId":"x","body":{"roomId":"nope"}})").at("status"), 404);
    EXPECT_EQ(status(R"({"controller":"realtime","action":"unsubscribe","requestId":"x","body":{"roomId":"nope"}})").at("status"),
              412);
    EXPECT_EQ(status(R"({"controller":"nope","action":"x","requestId":"x"})").at("error").at("id"),
              "api.process.action_not_found");
    EXPECT_EQ(status(R"({"controller":"document","action":"create","index":"i","collection":"c","requestId":"x","body":[1]})")
                  .at("error")
                  .at("id"),
              "api.assert.invalid_type");
    EXPECT_EQ(status(doc("update", "missing", "{}")).at("status"), 404);

    // limits
    EXPECT_EQ(status(subscribe(R"({"equals":{"a":1}})")).at("status"), 200);
    EXPECT_EQ(status(subscribe(R"({"equals":{"a":2}})")).at("status"), 200);
    EXPECT_EQ(status(subscribe(R"({"equals":{"a":3}})")).at("error").at("id"), "core.realtime.too_many_subscriptions");
    EXPECT_EQ(status(doc("create", "one", "{}")).at("status"), 200);
    EXPECT_EQ(status(doc("create", "one", "{}")).at("status"), 409);
    EXPECT_EQ(status(doc("create", "two", "{}")).at("status"), 503);
}

TEST(KuzzleApi, RoomsAreBoundedInBytes)
{
    rooms::kuzzle_api_options o;
    auto const filter = [](char c) { return R"({"equals":{"name":")" + std::string(40, c) + R"("}})"; };
    auto const text = std::string("shop").size() + std::string("items").size() + filter('a').size();
    auto const one = text + rooms::room_registry::room_overhead;
    o.max_filter_bytes = text + 10;
    o.max_rooms_bytes = 2 * one; // two rooms of these filters, not three
    api_fixture f(o);
    auto r = f.call(1, subscribe(R"({"equals":{"name":")" + std::string(100, 'x') + R"("}})"));
    EXPECT_EQ(r.at("status"), 413);
    EXPECT_EQ(r.at("error").at("id"), "api.assert.filter_too_large");
    auto const a = f.call(1, subscribe(filter('a')));
    ASSERT_EQ(a.at("status"), 200);
    EXPECT_EQ(f.call(2, subscribe(filter('a'))).at("status"), 200) << "the same room costs nothing more";
    EXPECT_EQ(f.api.rooms_bytes(), one);
    EXPECT_EQ(f.call(1, subscribe(filter('b'))).at("status"), 200);
    r = f.call(1, subscribe(filter('c')));
    EXPECT_EQ(r.at("status"), 503);
    EXPECT_EQ(r.at("error").at("id"), "core.realtime.too_many_rooms");
    EXPECT_EQ(f.call(3, subscribe(filter('b'))).at("status"), 200) << "a full registry still lets one join a room";
    f.take(f.api.disconnect(3, ++f.now));
    // the room goes once its last subscriber leaves: by unsubscribing, or by disconnecting
    auto const room = std::string(a.at("result").at("roomId").as_string());
    auto const unsubscribe = R"({"controller":"realtime","action":"unsubscribe","requestId":"u","body":{"roomId":")" + room + R"("}})";
    EXPECT_EQ(f.call(1, unsubscribe).at("status"), 200);
    EXPECT_EQ(f.api.rooms_bytes(), 2 * one) << "connection 2 is still in room a";
    f.take(f.api.disconnect(2, ++f.now));
    EXPECT_EQ(f.api.rooms_bytes(), one);
    EXPECT_EQ(f.call(1, subscribe(filter('c'))).at("status"), 200);
}

TEST(KuzzleApi, SubscriptionsOfAllConnectionsAreBounded)
{
    rooms::kuzzle_api_options o;
    o.max_total_subscriptions = 2;
    api_fixture f(o);
    EXPECT_EQ(f.call(1, subscribe(R"({"equals":{"a":1}})")).at("status"), 200);
    EXPECT_EQ(f.call(2, subscribe(R"({"equals":{"a":1}})")).at("status"), 200);
    auto const r = f.call(3, subscribe(R"({"equals":{"a":1}})"));
    EXPECT_EQ(r.at("status"), 503);
    EXPECT_EQ(r.at("error").at("id"), "core.realtime.too_many_subscriptions");
    f.take(f.api.disconnect(1, ++f.now));
    EXPECT_EQ(f.call(3, subscribe(R"({"equals":{"a":1}})")).at("status"), 200);
}

TEST(KuzzleApi, StoreIsBoundedInBytes)
{
    rooms::kuzzle_api_options o;
    o.max_document_bytes = 200;
    o.max_store_bytes = 350; // two documents of 60 letters (161 bytes each with _kuzzle_info), not three
    api_fixture f(o);
    auto const big = R"({"text":")" + std::string(200, 'x') + R"("})";
    auto r = f.call(1, doc("create", "a", big));
    EXPECT_EQ(r.at("status"), 413);
    EXPECT_EQ(r.at("error").at("id"), "api.assert.document_too_large");
    EXPECT_EQ(f.api.document_count(), 0u);

    EXPECT_EQ(f.call(1, doc("create", "a", R"({"text":")" + std::string(60, 'a') + R"("})")).at("status"), 200);
    auto const one = f.api.store_bytes();
    EXPECT_GT(one, 60u);
    EXPECT_EQ(f.call(1, doc("create", "b", R"({"text":")" + std::string(60, 'b') + R"("})")).at("status"), 200);
    r = f.call(1, doc("create", "c", R"({"text":")" + std::string(60, 'c') + R"("})"));
    EXPECT_EQ(r.at("status"), 503);
    EXPECT_EQ(r.at("error").at("id"), "services.storage.store_full");

    // an update past the document bound is refused and changes nothing
    r = f.call(1, doc("update", "a", big));
    EXPECT_EQ(r.at("status"), 413);
    EXPECT_EQ(f.call(1, doc("get", "a", "{}")).at("result").at("_source").at("text").as_string().size(), 60u);
    EXPECT_EQ(f.api.store_bytes(), 2 * one);

    // deleting gives the bytes back
    EXPECT_EQ(f.call(1, doc("delete", "b", "{}")).at("status"), 200);
    EXPECT_EQ(f.api.store_bytes(), one);
    EXPECT_EQ(f.call(1, doc("create", "c", R"({"text":")" + std::string(60, 'c') + R"("})")).at("status"), 200);
}

TEST(KuzzleApi, ADocumentWrittenOverHttpNotifiesTheSubscribersAndTheAnswerIsTheResponse)
{
    api_fixture f;
    EXPECT_EQ(f.call(1, subscribe(R"({"range":{"price":{"gt":2}}})")).at("status"), 200);
    auto const created = f.api.receive_http({"POST", "/shop/items/_create?_id=a", R"({"price":3})", {}, {}}, "10.0.0.9", ++f.now);
    EXPECT_EQ(created.status, 200);
    auto const response = json::parse(created.body).as_object();
    EXPECT_EQ(response.at("action"), "create");
    EXPECT_EQ(response.at("result").at("_id"), "a");
    f.take(created.texts);
    auto const heard = f.notifications(1);
    ASSERT_EQ(heard.size(), 1u);
    EXPECT_EQ(heard[0].at("action"), "create");
    EXPECT_EQ(heard[0].at("protocol"), "http");
    EXPECT_EQ(heard[0].at("result").at("_id"), "a");

    auto const published = f.api.receive_http({"POST", "/shop/items/_publish", R"({"price":1})", {}, {}}, "10.0.0.9", ++f.now);
    EXPECT_EQ(published.status, 200);
    EXPECT_TRUE(published.texts.empty()) << "the filter refuses the message";
    auto const got = f.api.receive_http({"GET", "/shop/items/a", {}, {}, {}}, "10.0.0.9", ++f.now);
    EXPECT_EQ(json::parse(got.body).at("result").at("_source").at("price"), 3);
    auto const missing = f.api.receive_http({"GET", "/shop/items/b", {}, {}, {}}, "10.0.0.9", ++f.now);
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(json::parse(missing.body).at("error").at("id"), "services.storage.not_found");
    auto const unrouted = f.api.receive_http({"GET", "/a/b/c/d/e", {}, {}, {}}, "10.0.0.9", ++f.now);
    EXPECT_EQ(unrouted.status, 404);
    EXPECT_EQ(json::parse(unrouted.body).at("error").at("id"), "network.http.url_not_found");
    EXPECT_EQ(json::parse(f.api.receive_http({"GET", "/_now", {}, {}, {}}, "10.0.0.9", 1234).body).at("result").at("now"), 1234);
}

TEST(KuzzleApi, HttpRequestsCarryTheirTokenAsABearerHeaderAndCountFailedLoginsByAddress)
{
    rooms::kuzzle_api_options o;
    o.security = secured();
    api_fixture f(o);
    auto const http = [&](std::string_view method, std::string_view target, std::string_view body, std::string_view auth,
                          std::string address = "10.0.0.9") {
        return f.api.receive_http({method, target, body, auth, {}}, std::move(address), ++f.now);
    };
    EXPECT_EQ(http("POST", "/shop/items/_create", "{}", {}).status, 401) << "anonymous may only subscribe";
    auto const login = http("POST", "/_login/local", R"({"username":"carol","password":"carol"})", {});
    ASSERT_EQ(login.status, 200) << login.body;
    auto const bearer = "Bearer " + std::string(json::parse(login.body).at("result").at("jwt").as_string());
    EXPECT_EQ(http("POST", "/shop/items/_create", "{}", bearer).status, 200);
    EXPECT_EQ(http("POST", "/bank/accounts/_create", "{}", bearer).status, 403) << "carol is restricted to shop";
    EXPECT_EQ(json::parse(http("GET", "/users/_me", {}, bearer).body).at("result").at("_id"), "carol");
    EXPECT_EQ(http("POST", "/_logout", {}, bearer).status, 200);
    EXPECT_EQ(json::parse(http("POST", "/shop/items/_create", "{}", bearer).body).at("error").at("id"),
              "security.token.invalid");
    int refused = 0;
    for(int i = 0; i < 30; ++i)
        refused += http("POST", "/_login/local", R"({"username":"carol","password":"wrong"})", {}, "10.0.0.66").status == 429;
    EXPECT_GT(refused, 0) << "failed logins over HTTP are counted for their address";
    EXPECT_EQ(http("POST", "/_login/local", R"({"username":"carol","password":"carol"})", {}, "10.0.0.67").status, 200)
        << "other addresses are not held back";
}

} // namespace

