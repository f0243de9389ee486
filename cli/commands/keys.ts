import { defineKitcfgCommand } from "../command.ts";
export default defineKitcfgCommand("keys", "todo", {}, async () => 0);
