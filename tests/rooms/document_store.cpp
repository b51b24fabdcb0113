// Tests of rtnotify/rooms/document_store.hpp; including it first checks that it is self-contained.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/rooms/document_store.hpp>

#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

namespace rooms = rtnotify::rooms;
namespace json = boost::json;

json::object doc(std::string_view text) { return json::parse(text).as_object(); }

TEST(DocumentStore, CreateReplaceRemove)
{
    rooms::document_store s;
    auto made = s.create("i", "c", "", doc(R"({"a":1})"));
    ASSERT_TRUE(std::holds_alternative<std::string>(made));
    auto const id = std::get<std::string>(made);
    EXPECT_EQ(id.size(), 20u); // a random id
    ASSERT_TRUE(s.find("i", "c", id));
    EXPECT_EQ(s.find("i", "c", id)->version, 1u);
    EXPECT_FALSE(s.find("i", "other", id));
    EXPECT_EQ(s.bytes(), id.size() + std::string(R"({"a":1})").size());

    auto before = s.replace("i", "c", id, doc(R"({"a":22})"));
    ASSERT_TRUE(std::holds_alternative<json::object>(before));
    EXPECT_EQ(std::get<json::object>(before), doc(R"({"a":1})"));
    EXPECT_EQ(s.find("i", "c", id)->version, 2u);
    EXPECT_EQ(s.bytes(), id.size() + std::string(R"({"a":22})").size());

    EXPECT_EQ(s.remove("i", "c", id), doc(R"({"a":22})"));
    EXPECT_FALSE(s.remove("i", "c", id));
    EXPECT_EQ(s.size(), 0u);
    EXPECT_EQ(s.bytes(), 0u);
}

TEST(DocumentStore, RefusedWritesChangeNothing)
{
    rooms::document_store s({2, 16, 20});
    ASSERT_TRUE(std::holds_alternative<std::string>(s.create("i", "c", "x", doc(R"({"a":1})")))); // 1 + 7 bytes
    auto const refusal = [](auto const& r) { return std::get<rooms::store_refusal>(r); };

    auto big = s.create("i", "c", "y", doc(R"({"a":"0123456789"})"));
    EXPECT_EQ(refusal(big).status, 413);
    EXPECT_EQ(refusal(big).id, "api.assert.document_too_large");

    ASSERT_TRUE(std::holds_alternative<std::string>(s.create("i", "c", "y", doc(R"({"b":2})")))); // 16 in all
    auto third = s.create("i", "c", "z", doc("{}"));
    EXPECT_EQ(refusal(third).id, "services.storage.too_many_documents");

    auto full = s.replace("i", "c", "x", doc(R"({"a":123456})")); // 1 + 12 instead of 8: 21 bytes in all
    EXPECT_EQ(refusal(full).status, 503);
    EXPECT_EQ(refusal(full).id, "services.storage.store_full");
    EXPECT_EQ(s.find("i", "c", "x")->source, doc(R"({"a":1})"));
    EXPECT_EQ(s.find("i", "c", "x")->version, 1u);
    EXPECT_EQ(s.bytes(), 16u);
    EXPECT_EQ(refusal(s.replace("i", "c", "missing", doc("{}"))).status, 404);
}

TEST(DocumentStore, ReplicasOfOtherNodesKeepTheNewestVersion)
{
    rooms::document_store s;
    ASSERT_TRUE(std::holds_alternative<std::string>(s.create("i", "c", "d", doc(R"({"v":"a1"})"), "a")));
    using enum rooms::replica_outcome;
    EXPECT_EQ(s.apply_replica("i", "c", "d", doc(R"({"v":"b2"})"), 2, "b"), applied) << "a higher version";
    EXPECT_EQ(s.find("i", "c", "d")->writer, "b");
    EXPECT_EQ(s.apply_replica("i", "c", "d", doc(R"({"v":"z1"})"), 1, "z"), older) << "a lower version, whoever wrote it";
    // two nodes wrote version 3 at once: the writer whose id sorts last wins, wherever it is applied
    ASSERT_TRUE(std::holds_alternative<json::object>(s.replace("i", "c", "d", doc(R"({"v":"a3"})"), "a")));
    EXPECT_EQ(s.apply_replica("i", "c", "d", doc(R"({"v":"c3"})"), 3, "c"), applied);
    EXPECT_EQ(s.apply_replica("i", "c", "d", doc(R"({"v":"a3"})"), 3, "a"), older);
    EXPECT_EQ(s.find("i", "c", "d")->source, doc(R"({"v":"c3"})"));
    EXPECT_EQ(s.find("i", "c", "d")->version, 3u);
    // a delete wins with a higher version only; a document not here takes any write
    EXPECT_EQ(s.apply_replica("i", "c", "d", std::nullopt, 3, "z"), older) << "a delete never wins a tie";
    EXPECT_EQ(s.apply_replica("i", "c", "d", std::nullopt, 4, "a"), applied);
    EXPECT_EQ(s.find("i", "c", "d"), nullptr);
    EXPECT_EQ(s.apply_replica("i", "c", "d", doc(R"({"v":"b4"})"), 4, "b"), applied) << "deletes are not remembered";
    EXPECT_EQ(s.size(), 1u);
    EXPECT_EQ(s.bytes(), 1 + json::serialize(doc(R"({"v":"b4"})")).size());
    EXPECT_EQ(s.apply_replica("i", "c", "gone", std::nullopt, 9, "b"), applied) << "deleting what is not here changes nothing";
    EXPECT_EQ(s.size(), 1u);
}

TEST(DocumentStore, ReplicasPastTheLimitsAreRefusedAndChangeNothing)
{
    rooms::document_store s({1, 64, 1024});
    EXPECT_EQ(s.apply_replica("i", "c", "a", doc(R"({"v":1})"), 1, "b"), rooms::replica_outcome::applied);
    EXPECT_EQ(s.apply_replica("i", "c", "b", doc(R"({"v":1})"), 1, "b"), rooms::replica_outcome::refused) << "max_documents";
    EXPECT_EQ(s.apply_replica("i", "c", "a", doc(R"({"v":")" + std::string(100, 'x') + R"("})"), 2, "b"),
              rooms::replica_outcome::refused)
        << "max_document_bytes";
    EXPECT_EQ(s.find("i", "c", "a")->version, 1u);
    EXPECT_EQ(s.size(), 1u);
    EXPECT_EQ(s.bytes(), 1 + json::serialize(doc(R"({"v":1})")).size());
}

} // namespace
