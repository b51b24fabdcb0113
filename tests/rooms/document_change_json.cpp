// Tests of a document change as JSON text (rtnotify/rooms/document_change_json.hpp).
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/rooms/document_change_json.hpp>

#include <gtest/gtest.h>

#include <string>
#include <variant>

namespace {

namespace rooms = rtnotify::rooms;
namespace json = boost::json;

rooms::document_change sample()
{
    rooms::document_change c;
    c.index = "shop";
    c.collection = "items";
    c.action = rooms::document_action::update;
    c.id = "pen";
    c.before = json::object{{"price", 3}};
    c.after = json::object{{"price", 30}, {"tags", json::array{"a", "b"}}};
    c.updated_fields = {"price"};
    c.protocol = "mqtt";
    c.node = "node-c";
    c.request_id = "r1";
    c.timestamp = 1700000000123;
    c.volatile_data = json::object{{"who", "me"}};
    c.version = 4;
    c.silent = true;
    return c;
}

TEST(DocumentChangeJson, ReadsBackWhatItWrites)
{
    auto const text = rooms::document_change_json(sample());
    auto const r = rooms::read_document_change(text);
    ASSERT_TRUE(std::holds_alternative<rooms::document_change>(r)) << std::get<std::string>(r);
    auto const& c = std::get<rooms::document_change>(r);
    EXPECT_EQ(c.index, "shop");
    EXPECT_EQ(c.collection, "items");
    EXPECT_EQ(c.action, rooms::document_action::update);
    EXPECT_EQ(c.id, "pen");
    EXPECT_EQ(c.before, (json::object{{"price", 3}}));
    EXPECT_EQ(c.after, sample().after);
    EXPECT_EQ(c.updated_fields, std::vector<std::string>{"price"});
    EXPECT_EQ(c.controller, "document");
    EXPECT_EQ(c.protocol, "mqtt");
    EXPECT_EQ(c.node, "node-c");
    EXPECT_EQ(c.request_id, "r1");
    EXPECT_EQ(c.timestamp, 1700000000123);
    EXPECT_EQ(c.volatile_data, (json::object{{"who", "me"}}));
    EXPECT_EQ(c.version, 4u);
    EXPECT_TRUE(c.silent);
    EXPECT_EQ(rooms::document_change_json(c), text);
}

TEST(DocumentChangeJson, APublishWithoutIdOrBeforeReadsBack)
{
    rooms::document_change c;
    c.index = "i";
    c.collection = "c";
    c.action = rooms::document_action::publish;
    c.controller = "realtime";
    c.after = json::object{};
    auto const r = rooms::read_document_change(rooms::document_change_json(c));
    ASSERT_TRUE(std::holds_alternative<rooms::document_change>(r));
    auto const& back = std::get<rooms::document_change>(r);
    EXPECT_TRUE(back.id.is_null());
    EXPECT_FALSE(back.before);
    EXPECT_TRUE(back.after);
    EXPECT_EQ(back.action, rooms::document_action::publish);
    EXPECT_EQ(back.version, 0u) << "a publish has no version";
    EXPECT_FALSE(back.silent);
}

TEST(DocumentChangeJson, SaysWhichMemberIsWrong)
{
    auto error_of = [](std::string const& text) {
        auto const r = rooms::read_document_change(text);
        return std::holds_alternative<std::string>(r) ? std::get<std::string>(r) : std::string("accepted");
    };
    auto with = [](char const* name, json::value v) {
        auto o = json::parse(rooms::document_change_json(sample())).as_object();
        if(v.is_null() && std::string_view(name) != "_id")
            o.erase(name);
        else
            o[name] = std::move(v);
        return json::serialize(o);
    };
    EXPECT_EQ(error_of("[1]"), "not a JSON object");
    EXPECT_TRUE(error_of("{").starts_with("not JSON: "));
    EXPECT_EQ(error_of(with("index", 3)), "index: missing or not a string");
    EXPECT_EQ(error_of(with("requestId", nullptr)), "requestId: missing or not a string");
    EXPECT_EQ(error_of(with("action", "explode")), "action: unknown action \"explode\"");
    EXPECT_EQ(error_of(with("_id", 7)), "_id: missing, or neither a string nor null");
    EXPECT_EQ(error_of(with("_id", nullptr)), "accepted");
    EXPECT_EQ(error_of(with("timestamp", "now")), "timestamp: missing or not an integer");
    EXPECT_EQ(error_of(with("volatile", json::array{})), "volatile: missing or not an object");
    EXPECT_EQ(error_of(with("before", 1)), "before: not an object");
    EXPECT_EQ(error_of(with("updatedFields", json::array{1})), "updatedFields: an element is not a string");
    EXPECT_EQ(error_of(with("_version", 0)), "_version: not a number from 1");
    EXPECT_EQ(error_of(with("_version", "3")), "_version: not a number from 1");
    EXPECT_EQ(error_of(with("silent", 1)), "silent: not a boolean");
    EXPECT_TRUE(error_of(std::string(100, '[') + std::string(100, ']')).starts_with("not JSON: "));
}

} // namespace
