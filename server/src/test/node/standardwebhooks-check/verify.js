// Verifies one captured Payrail webhook with the standardwebhooks library: `node verify.js delivery.json`, where the
// file holds {secret, body, headers}. Prints "verified" and exits 0, or prints why not and exits 1.
const fs = require("fs");
const { Webhook } = require("standardwebhooks");

const delivery = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
try {
  const payload = new Webhook(delivery.secret).verify(delivery.body, delivery.headers);
  console.log("verified " + payload.type + " " + payload.id);
} catch (e) {
  console.log("not verified: " + e.message);
  process.exit(1);
}
