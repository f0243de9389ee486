import { defineKitcfgCommand } from "../command.ts";
export default defineKitcfgCommand("profiles", "todo", {}, async () => 0);
