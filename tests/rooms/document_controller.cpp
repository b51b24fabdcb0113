// Tests of rtnotify/rooms/document_controller.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/rooms/document_controller.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

namespace rooms = rtnotify::rooms;
namespace json = boost::json;

/// A controller, rooms with one subscriber to `price < 10` on shop/items, and the notifications it got.
struct controller_fixture
{
    rooms::document_controller docs;
    rooms::room_registry reg;
    std::string channel;
    std::vector<rooms::notification> caused, announced;

    explicit controller_fixture(rooms::document_controller_options o = {}) : docs(std::move(o))
    {
        channel = reg.subscribe(1, "shop", "items", json::parse(R"({"range":{"price":{"lt":10}}})"), {}).value().channel;
    }

    /// Runs `action` with the request's other members `rest` (JSON object members); the outcome.
    rooms::api_outcome call(std::string const& action, std::string const& rest)
    {
        auto req = json::parse(R"({"controller":"document","action":")" + action +
                               R"(","index":"shop","collection":"items","requestId":"r1")" +
                               (rest.empty() ? "" : "," + rest) + "}")
                       .as_object();
        auto r = docs.handle(action, req, {"node-a", "websocket", 1700000000000}, reg);
        caused = std::move(r.caused);
        announced = std::move(r.announced);
        return r.outcome;
    }

    /// The result of a call that must succeed.
    json::object ok(std::string const& action, std::string const& rest)
    {
        auto r = call(action, rest);
        if(auto const* f = std::get_if<rooms::api_failure>(&r))
        {
            ADD_FAILURE() << action << " failed: " << f->id << ": " << f->message;
            return {};
        }
        return std::get<json::value>(r).as_object();
    }

    /// The failure of a call that must fail.
    rooms::api_failure refused(std::string const& action, std::string const& rest)
    {
        auto r = call(action, rest);
        if(!std::holds_alternative<rooms::api_failure>(r))
        {
            ADD_FAILURE() << action << " succeeded: " << json::serialize(std::get<json::value>(r));
            return {};
        }
        return std::get<rooms::api_failure>(r);
    }

    /// "action/scope/_id" of each notification caused.
    std::vector<std::string> heard() const
    {
        std::vector<std::string> out;
        for(auto const& n : caused)
        {
            EXPECT_EQ(n.channel, channel);
            out.push_back(std::string(n.payload.at("action").as_string()) + "/" +
                          std::string(n.payload.at("scope").as_string()) + "/" +
                          json::serialize(n.payload.at("result").at("_id")));
        }
        return out;
    }
};

TEST(DocumentController, MCreateReportsEachDocumentAndNotifiesEachCreated)
{
    controller_fixture f;
    f.ok("create", R"("_id":"taken","body":{"price":1})");
    auto r = f.ok("mCreate", R"("body":{"documents":[)"
                             R"({"_id":"a","body":{"price":3}},)"
                             R"({"_id":"taken","body":{"price":2}},)"
                             R"({"_id":"b","body":{"price":300}},)"
                             R"({"_id":"c","body":[1]},)"
                             R"({"body":{"price":4}}]})");
    auto const& ok = r.at("successes").as_array();
    ASSERT_EQ(ok.size(), 3u) << r;
    EXPECT_EQ(ok[0].at("_id"), "a");
    EXPECT_EQ(ok[0].at("_version"), 1);
    EXPECT_EQ(ok[0].at("_source").at("price"), 3);
    EXPECT_EQ(ok[0].at("created"), true);
    EXPECT_EQ(ok[1].at("_id"), "b");
    EXPECT_EQ(ok[2].at("_id").as_string().size(), 20u) << "a generated id";
    auto const& errors = r.at("errors").as_array();
    ASSERT_EQ(errors.size(), 2u) << r;
    EXPECT_EQ(errors[0].at("status"), 409);
    EXPECT_EQ(errors[0].at("document").at("_id"), "taken");
    EXPECT_EQ(errors[0].at("document").at("body").at("price"), 2);
    EXPECT_NE(errors[0].at("reason").as_string().find("taken"), json::string::npos);
    EXPECT_EQ(errors[1].at("status"), 400);
    EXPECT_EQ(errors[1].at("document").at("_id"), "c");
    auto const generated = json::serialize(ok[2].at("_id"));
    EXPECT_EQ(f.heard(), (std::vector<std::string>{"create/in/\"a\"", "create/in/" + generated}))
        << "one notification per created document the filter matches; b (300) matches none";
    EXPECT_EQ(f.docs.store().size(), 4u);
}

TEST(DocumentController, MReplaceMUpdateAndMCreateOrReplaceNotifyWhatEachDocumentWent)
{
    controller_fixture f;
    f.ok("mCreate", R"("body":{"documents":[{"_id":"a","body":{"price":3}},{"_id":"b","body":{"price":5}}]})");
    auto r = f.ok("mReplace", R"("body":{"documents":[{"_id":"a","body":{"price":30}},{"_id":"zz","body":{}},{"body":{}}]})");
    EXPECT_EQ(r.at("successes").as_array().size(), 1u);
    ASSERT_EQ(r.at("errors").as_array().size(), 2u);
    EXPECT_EQ(r.at("errors").at(0).at("status"), 404);
    EXPECT_EQ(r.at("errors").at(1).at("status"), 400) << "mReplace needs each _id";
    EXPECT_EQ(f.heard(), (std::vector<std::string>{"replace/out/\"a\""}));

    r = f.ok("mUpdate", R"("body":{"documents":[{"_id":"a","body":{"price":1}},{"_id":"b","body":{"name":"cup"}}]})");
    ASSERT_EQ(r.at("successes").as_array().size(), 2u);
    EXPECT_EQ(r.at("successes").at(1).at("_source").at("price"), 5) << "an update merges";
    EXPECT_EQ(r.at("successes").at(1).at("_version"), 2);
    EXPECT_FALSE(r.at("successes").at(1).as_object().contains("created"));
    EXPECT_EQ(f.heard(), (std::vector<std::string>{"update/in/\"a\"", "update/in/\"b\""}));
    EXPECT_EQ(f.caused[1].payload.at("result").at("_updatedFields"), json::parse(R"(["name"])"));

    r = f.ok("mCreateOrReplace", R"("body":{"documents":[{"_id":"a","body":{"price":2}},{"_id":"n","body":{"price":4}}]})");
    EXPECT_EQ(r.at("successes").at(0).at("created"), false);
    EXPECT_EQ(r.at("successes").at(1).at("created"), true);
    EXPECT_EQ(f.heard(), (std::vector<std::string>{"replace/in/\"a\"", "create/in/\"n\""}));
}

TEST(DocumentController, MDeleteGivesTheIdsDeletedAndWhyOthersWereNot)
{
    controller_fixture f;
    f.ok("mCreate", R"("body":{"documents":[{"_id":"a","body":{"price":3}},{"_id":"b","body":{"price":50}}]})");
    auto r = f.ok("mDelete", R"("body":{"ids":["a","b","zz",7]})");
    EXPECT_EQ(r.at("successes"), json::parse(R"(["a","b"])"));
    auto const& errors = r.at("errors").as_array();
    ASSERT_EQ(errors.size(), 2u);
    EXPECT_EQ(errors[0].at("_id"), "zz");
    EXPECT_NE(errors[0].at("reason").as_string().find("not found"), json::string::npos);
    EXPECT_EQ(errors[1].at("_id"), 7);
    EXPECT_EQ(f.heard(), (std::vector<std::string>{"delete/out/\"a\""})) << "b was never in the room";
    EXPECT_EQ(f.docs.store().size(), 0u);
    EXPECT_EQ(f.refused("mDelete", R"("body":{"documents":[]})").status, 400) << "mDelete takes body.ids";
    f.ok("create", R"("_id":"s","body":{"price":3})");
    auto const strict = f.refused("mDelete", R"("strict":true,"body":{"ids":["s","zz"]})");
    EXPECT_EQ(strict.status, 206);
    EXPECT_EQ(strict.id, "api.process.incomplete_multiple_request");
    EXPECT_EQ(f.docs.store().size(), 0u) << "what succeeded stays done, as in Kuzzle";
    EXPECT_EQ(f.heard(), (std::vector<std::string>{"delete/out/\"s\""}));
}

TEST(DocumentController, AnMRequestOverTheWriteLimitChangesNothing)
{
    rooms::document_controller_options o;
    o.max_documents_per_write = 3;
    controller_fixture f(o);
    std::string documents;
    for(int i = 0; i < 4; ++i)
        documents += std::string(i ? "," : "") + R"({"_id":"d)" + std::to_string(i) + R"(","body":{"price":1}})";
    auto const e = f.refused("mCreate", R"("body":{"documents":[)" + documents + "]}");
    EXPECT_EQ(e.status, 400);
    EXPECT_EQ(e.id, "services.storage.write_limit_exceeded");
    EXPECT_EQ(f.docs.store().size(), 0u);
    EXPECT_TRUE(f.caused.empty());
    EXPECT_EQ(f.refused("mDelete", R"("body":{"ids":["a","b","c","d"]})").id, "services.storage.write_limit_exceeded");
}

TEST(DocumentController, DeleteByQueryDeletesWhatTheKoncordeFilterMatchesAndNotifiesEach)
{
    controller_fixture f;
    f.ok("mCreate", R"("body":{"documents":[{"_id":"c","body":{"price":3,"tag":"old"}},{"_id":"a","body":{"price":4,"tag":"old"}},)"
                    R"({"_id":"b","body":{"price":5,"tag":"new"}},{"_id":"x","body":{"price":70,"tag":"old"}}]})");
    auto r = f.ok("deleteByQuery", R"("lang":"koncorde","body":{"query":{"equals":{"tag":"old"}}})");
    EXPECT_EQ(r.at("documents"), json::parse(R"([{"_id":"a"},{"_id":"c"},{"_id":"x"}])")) << "in _id order";
    EXPECT_EQ(r.at("ids"), json::parse(R"(["a","c","x"])"));
    EXPECT_EQ(f.heard(), (std::vector<std::string>{"delete/out/\"a\"", "delete/out/\"c\""}))
        << "x (70) was never in the room";
    EXPECT_EQ(f.caused[0].payload.at("result").at("_source").at("price"), 4) << "the deleted content";
    EXPECT_EQ(f.docs.store().size(), 1u);

    r = f.ok("deleteByQuery", R"("source":true,"body":{"query":{"ids":{"values":["b"]}}})");
    EXPECT_EQ(r.at("documents").at(0).at("_source").at("tag"), "new") << "source: true gives the deleted content";
    EXPECT_EQ(f.docs.store().size(), 0u);

    EXPECT_EQ(f.refused("deleteByQuery", R"("lang":"elasticsearch","body":{"query":{"match_all":{}}})").id,
              "api.assert.invalid_argument");
    auto const bad = f.refused("deleteByQuery", R"("body":{"query":{"equals":{"a":1,"b":2}}})");
    EXPECT_EQ(bad.id, "api.assert.koncorde_dsl_error");
    EXPECT_NE(bad.message.find("equals"), std::string::npos) << bad.message;
}

TEST(DocumentController, DeleteByQueryOverTheWriteLimitDeletesNothing)
{
    rooms::document_controller_options o;
    o.max_documents_per_write = 2;
    controller_fixture f(o);
    f.ok("mCreate", R"("body":{"documents":[{"body":{"price":1}},{"body":{"price":2}}]})");
    f.ok("create", R"("body":{"price":3})");
    EXPECT_EQ(f.refused("deleteByQuery", R"("body":{"query":{}})").id, "services.storage.write_limit_exceeded");
    EXPECT_EQ(f.docs.store().size(), 3u);
    EXPECT_TRUE(f.caused.empty());
    EXPECT_EQ(f.ok("deleteByQuery", R"("body":{"query":{"range":{"price":{"lt":3}}}})").at("documents").as_array().size(), 2u);
}

TEST(DocumentController, SearchPagesThroughMatchesInIdOrderAndNotifiesNobody)
{
    controller_fixture f;
    std::string documents;
    for(int i = 0; i < 12; ++i)
        documents += std::string(i ? "," : "") + R"({"_id":"d)" + (i < 10 ? "0" : "") + std::to_string(i) +
                     R"(","body":{"price":)" + std::to_string(i) + "}}";
    f.ok("mCreate", R"("body":{"documents":[)" + documents + "]}");
    auto r = f.ok("search", R"("lang":"koncorde","body":{"query":{"range":{"price":{"gte":2}}}})");
    EXPECT_EQ(r.at("total"), 10);
    auto const& hits = r.at("hits").as_array();
    ASSERT_EQ(hits.size(), 10u) << "size defaults to 10";
    EXPECT_EQ(hits[0].at("_id"), "d02");
    EXPECT_EQ(hits[0].at("_source").at("price"), 2);
    EXPECT_EQ(hits[9].at("_id"), "d11");
    EXPECT_TRUE(f.caused.empty());

    r = f.ok("search", R"("from":8,"size":5,"body":{"query":{"range":{"price":{"gte":2}}}})");
    EXPECT_EQ(r.at("total"), 10);
    ASSERT_EQ(r.at("hits").as_array().size(), 2u);
    EXPECT_EQ(r.at("hits").at(0).at("_id"), "d10");
    EXPECT_EQ(f.ok("search", "").at("total"), 12) << "no query: every document";
    EXPECT_EQ(f.ok("search", R"("body":{"query":{"ids":{"values":["d03"]}}})").at("hits").at(0).at("_id"), "d03");
    EXPECT_EQ(f.refused("search", R"("size":-1)").id, "api.assert.invalid_type");
    EXPECT_EQ(f.refused("search", R"("body":{"sort":[{"price":"desc"}]})").id, "api.assert.invalid_argument");
}

TEST(DocumentController, SearchIsBoundedInCountAndBytes)
{
    rooms::document_controller_options o;
    o.max_documents_per_fetch = 100;
    o.max_search_bytes = 300;
    controller_fixture f(o);
    EXPECT_EQ(f.refused("search", R"("from":90,"size":11)").id, "services.storage.get_limit_exceeded");
    f.ok("search", R"("from":90,"size":10)");
    f.ok("mCreate", R"("body":{"documents":[{"_id":"a","body":{"text":")" + std::string(150, 'x') +
                        R"("}},{"_id":"b","body":{"text":"y"}}]})");
    auto const e = f.refused("search", "");
    EXPECT_EQ(e.status, 413);
    EXPECT_EQ(e.id, "services.storage.search_too_large");
    EXPECT_EQ(f.ok("search", R"("size":1)").at("hits").as_array().size(), 1u);
}

TEST(DocumentController, SilentWritesNotifyNobody)
{
    controller_fixture f;
    f.ok("create", R"("_id":"a","silent":true,"body":{"price":1})");
    EXPECT_TRUE(f.caused.empty());
    f.ok("mUpdate", R"("silent":true,"body":{"documents":[{"_id":"a","body":{"price":2}}]})");
    EXPECT_TRUE(f.caused.empty());
    f.ok("delete", R"("_id":"a")");
    EXPECT_EQ(f.heard(), (std::vector<std::string>{"delete/out/\"a\""}));
}

TEST(DocumentController, DeleteGivesTheSourceOnlyWhenAsked)
{
    controller_fixture f;
    f.ok("create", R"("_id":"a","body":{"price":1})");
    f.ok("create", R"("_id":"b","body":{"price":1})");
    EXPECT_FALSE(f.ok("delete", R"("_id":"a")").contains("_source"));
    EXPECT_EQ(f.ok("delete", R"("_id":"b","source":true)").at("_source").at("price"), 1);
    EXPECT_EQ(f.refused("delete", R"("_id":"b")").status, 404);
    EXPECT_EQ(f.refused("nope", "").id, "api.process.action_not_found");

}

} // namespace
