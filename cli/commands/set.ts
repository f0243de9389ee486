import { defineKitcfgCommand } from "../command.ts";
export default defineKitcfgCommand("set", "todo", {}, async () => 0);
